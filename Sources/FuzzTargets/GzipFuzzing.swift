import Gzip

/// Inflation stays within its limit, and what inflated compresses and inflates back to the same bytes.
enum GzipFuzzing {
    static let limit = 1 << 20

    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        guard let inflated = try? Gzip.decompress(input, limit: limit) else { return }
        guard inflated.count <= limit else {
            throw FuzzViolation("inflated \(inflated.count) bytes past the limit of \(limit)")
        }
        let again: [UInt8]
        do throws(GzipError) {
            again = try Gzip.decompress(try Gzip.compress(inflated), limit: limit)
        } catch {
            throw FuzzViolation("a round trip of inflated data failed: \(error)")
        }
        guard again == inflated else { throw FuzzViolation("a compress and inflate round trip changed the data") }
    }
}
