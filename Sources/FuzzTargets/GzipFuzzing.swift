import Gzip

/// Inflation stays within its limit, and what inflated compresses and inflates back to the same bytes.
///
/// Mutated bytes rarely form valid gzip, so an input starting with 0x00 is read as a recipe instead:
/// `00 <position: 2 bytes> <xor: 1 byte> <payload…>` compresses the payload, flips bits of one byte of the result
/// (none when xor is 0) and inflates that. Unflipped, it must give the payload back; flipped, it must either fail or
/// stay within the limit. This reaches the header, CRC and size checks with data that is almost right.
enum GzipFuzzing {
    static let limit = 1 << 20

    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        if input.first == 0, input.count >= 4 {
            try runRecipe(input)
        } else {
            try checkInflation(of: input)
        }
    }

    static func checkInflation(of input: [UInt8]) throws(FuzzViolation) {
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

    static func runRecipe(_ input: [UInt8]) throws(FuzzViolation) {
        let position = Int(input[1]) << 8 | Int(input[2])
        let flip = input[3]
        let payload = Array(input[4...])
        var compressed: [UInt8]
        do throws(GzipError) {
            compressed = try Gzip.compress(payload)
        } catch {
            throw FuzzViolation("compressing \(payload.count) bytes failed: \(error)")
        }
        guard flip != 0 else {
            guard (try? Gzip.decompress(compressed, limit: limit)) == payload else {
                throw FuzzViolation("compressed data did not inflate back to its \(payload.count) bytes")
            }
            return
        }
        compressed[position % compressed.count] ^= flip
        try checkInflation(of: compressed)
    }
}
