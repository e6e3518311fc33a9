import Storage
import UTCTime

/// The fast scanner must never accept what the general parser refuses, and must read the same records from it
/// (its contract in `AttemptScanner`). Both formats are tried on every input.
enum AttemptScannerFuzzing {
    static let maximumRecords = 1000
    /// A fixed clock, so that a replayed input meets the same "not in the future" rule as when it was found.
    static let latest = Timestamp(microseconds: 1_900_000_000_000_000)

    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        for format in [IngestFormat.ndjson, .jsonArray] {
            guard
                let fast = try? AttemptScanner.scan(
                    input, format: format, maximumRecords: maximumRecords, latest: latest)
            else { continue }
            let general: [AttemptRecord]
            do throws(IngestError) {
                general = try AttemptRecord.parseGenerally(
                    input, format: format, maximumRecords: maximumRecords, latest: latest)
            } catch {
                throw FuzzViolation("the scanner accepted a \(format) body the general parser refuses: \(error)")
            }
            guard fast.records == general else {
                throw FuzzViolation("the scanner and the general parser read different \(format) records")
            }
        }
    }
}
