import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// `ReportReads` against PostgreSQL, without HTTP.
@Suite struct ReportReadsTests {
    @Test func reportsListedAndFetched() throws {
        let harness = try Harness()
        let sha = String(repeating: "ab", count: 32)
        try harness.execute(
            "INSERT INTO pipeline_runs (stage, status, finished_at) VALUES ('generate-weekly-report', 'succeeded', now())"
        )
        try harness.execute(
            """
            INSERT INTO report_artifacts (user_id, week_start, format, content, sha256, size_bytes, url, run_id,
                generated_at) VALUES
                ('u', '2026-11-16', 'html', '\\x0102'::bytea, \(sha), 10, NULL, NULL, '2026-11-17T00:00:00Z'),
                ('u', '2026-11-23', 'html', '\\x010203'::bytea, \(sha), 12, 'https://x/y', 1, '2026-11-24T00:00:00Z')
            """)
        try harness.database.pool.withConnection { connection throws in
            let listed = try ReportReads.reports(of: "u", limit: 10, connection)
            #expect(listed.map(\.weekStart.iso) == ["2026-11-23", "2026-11-16"])
            #expect(listed[0].gzipBytes == 3 && listed[0].sizeBytes == 12 && listed[0].runID == 1)
            #expect(listed[0].url == "https://x/y" && listed[0].format == "html" && listed[0].sha256 == sha)
            #expect(listed[0].generatedAt == Timestamp(rfc3339: "2026-11-24T00:00:00Z"))
            #expect(listed[1].runID == nil && listed[1].url == nil)
            #expect(try ReportReads.reports(of: "u", limit: 1, connection).count == 1)
            let week = try #require(Day(iso: "2026-11-16"))
            #expect(
                try ReportReads.html(of: "u", week: week, connection) == StoredReport(gzipContent: [1, 2], sha256: sha))
            #expect(try ReportReads.html(of: "v", week: week, connection) == nil)
        }
    }
}
