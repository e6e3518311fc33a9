import Gzip
import Hashing
import Reports
import UTCTime

/// One rendered report as stored: the gzip-compressed HTML and the SHA-256 and size of the HTML itself.
struct ReportArtifact: Sendable {
    let userID: String
    let weekStart: Day
    let gzipped: [UInt8]
    let sha256: String
    let size: Int
    var url: String?

    init(rendering data: ReportData) throws(GzipError) {
        let html = ReportRenderer.render(data)
        userID = data.userID
        weekStart = data.weekStart
        // zlib writes into a buffer of its worst-case size (about the HTML's); a copy of exactly the compressed bytes
        // (about a quarter of that) keeps the chunks of artifacts in flight small. Level 1: zlib was 62% of the
        // stage's CPU at level 6; on the bench's reports (10.4 KB of HTML each) level 1 compresses 98 MB/s against
        // 63, and the median report grows from 2,945 to about 3,190 bytes.
        gzipped = try Gzip.compress(html, level: 1).withUnsafeBufferPointer { Array($0) }
        sha256 = SHA256.hexDigest(html)
        size = html.count
    }

    /// `reports/{user_id}/{week_start}.html`.
    var objectKey: String { "reports/\(userID)/\(weekStart.iso).html" }
}
