import Postgres
import UTCTime

/// One stored report as listed: its week, format and sizes, without the content.
public struct ReportListingRow: Sendable, Equatable {
    public var weekStart: Day
    public var format: String
    public var url: String?
    public var sha256: String
    /// The uncompressed size.
    public var sizeBytes: Int64
    /// The stored (gzip) size.
    public var gzipBytes: Int64
    public var generatedAt: Timestamp
    public var runID: Int64?

    init(row: PostgresRow) throws {
        weekStart = try row.decode(0)
        format = try row.decode(1)
        url = try row.decode(2)
        sha256 = try row.decode(3)
        sizeBytes = try row.decode(4)
        gzipBytes = try row.decode(5)
        generatedAt = try row.decode(6)
        runID = try row.decode(7)
    }
}

/// One stored HTML report: its gzip bytes and the SHA-256 of the HTML.
public struct StoredReport: Sendable, Equatable {
    public var gzipContent: [UInt8]
    public var sha256: String

    public init(gzipContent: [UInt8], sha256: String) {
        self.gzipContent = gzipContent
        self.sha256 = sha256
    }
}

/// Reads of the weekly reports the generate-weekly-report stage stores.
public enum ReportReads {
    /// A learner's reports, newest week first, then by format.
    public static func reports(of user: String, limit: Int, _ connection: PostgresConnection) throws
        -> [ReportListingRow]
    {
        try connection.query(
            """
            SELECT week_start, format, url, sha256, size_bytes, octet_length(content), generated_at, run_id
            FROM report_artifacts WHERE user_id = \(user) ORDER BY week_start DESC, format LIMIT \(limit)
            """
        ).rows.map(ReportListingRow.init(row:))
    }

    /// A learner's HTML report of one week, nil when there is none.
    public static func html(of user: String, week: Day, _ connection: PostgresConnection) throws -> StoredReport? {
        let result = try connection.query(
            """
            SELECT content, sha256 FROM report_artifacts
            WHERE user_id = \(user) AND week_start = \(week) AND format = 'html'
            """)
        guard let row = result.first else { return nil }
        return StoredReport(gzipContent: try row.decode(0, as: ByteArray.self).bytes, sha256: try row.decode(1))
    }
}
