import Gzip
import JSON
import OutboundHTTP
import Postgres
import TestSupport
import Testing

/// generate-weekly-report and the report routes: storage, escaping, ETag/304, gzip both ways, and uploads to a local
/// S3-compatible server (moto), including a failing one.
@Suite(.ownThreads) struct ReportRouteTests {
    static let hostile = "<script>alert(1)</script>"

    static func prepare(_ app: TestService) throws {
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        try Attempts.insert(Attempts.goldenExample(user: hostile), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-22"])
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
    }

    static var hostilePath: String { "%3Cscript%3Ealert%281%29%3C%2Fscript%3E" }

    func artifactCount(_ app: TestService) throws -> Int {
        try app.database.pool.withConnection { try $0.query("SELECT count(*) FROM report_artifacts")[0].decode(0) }
    }

    /// The θ trend of a week's report is the estimates as of a day up to the week's Sunday, whenever they were fitted:
    /// one fitted after the week but as of a day in it is shown, one fitted during the week as of a later day is not.
    @Test func theAbilityTrendIsSelectedByAsOf() throws {
        let app = try TestService()
        defer { app.stop() }
        try Self.prepare(app)
        try app.database.pool.withConnection { connection in
            try connection.execute(
                """
                WITH runs AS (
                    INSERT INTO pipeline_runs (stage, status, finished_at)
                    SELECT 'calibrate-irt', 'succeeded', now() FROM generate_series(1, 3) RETURNING run_id
                )
                INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of)
                SELECT 'golden_u2', 'v1', v.theta, 0.2, '2PL', r.run_id, v.fitted, v.as_of
                FROM (SELECT run_id, row_number() OVER (ORDER BY run_id) AS n FROM runs) r
                JOIN (VALUES (1, 0.1, '2026-11-15T03:00:00Z'::timestamptz, '2026-11-14'::date),
                             (2, 0.3, '2026-12-02T03:00:00Z', '2026-11-21'),
                             (3, 0.9, '2026-11-26T03:00:00Z', '2026-11-30')) v (n, theta, fitted, as_of) USING (n)
                """)
        }
        let run = try app.request(
            "POST", "/v1/pipelines/generate-weekly-report",
            json: ["week_start": "2026-11-23", "user_ids": ["golden_u2"]])
        #expect(run.status == 200)
        let report = try app.request("GET", "/v1/users/golden_u2/reports/2026-11-23")
        #expect(report.status == 200)
        #expect(report.text.contains("2 estimates from 2026-11-14 to 2026-11-21"), "\(report.text)")
        #expect(report.text.contains("Latest estimate (2026-11-21)"))
        #expect(!report.text.contains("2026-11-30"), "as of a day after the week")
    }

    @Test func reportsAreStoredEscapedAndServedWithETags() throws {
        let app = try TestService()
        defer { app.stop() }
        try Self.prepare(app)
        let run = try app.json(
            app.request("POST", "/v1/pipelines/generate-weekly-report", json: ["week_start": "2026-11-23"]))
        #expect(run["status"] == "succeeded")
        #expect(run["counts"]?["reports_written"] == 2)
        let list = try app.json(
            app.request("GET", "/v1/users/\(Self.hostilePath)/reports", token: TestService.readToken))
        let entry = try #require(list["reports"]?.arrayValue?.first)
        #expect(entry["week_start"] == "2026-11-23")
        #expect(entry["href"]?.stringValue == "/v1/users/\(Self.hostilePath)/reports/2026-11-23")
        let path = "/v1/users/\(Self.hostilePath)/reports/2026-11-23"
        let plain = try app.request("GET", path)
        #expect(plain.status == 200)
        #expect(plain.header("Content-Type") == "text/html; charset=utf-8")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(!plain.text.contains(Self.hostile))
        #expect(plain.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let compressed = try app.request("GET", path, headers: [("Accept-Encoding", "gzip")])
        #expect(compressed.header("Content-Encoding") == "gzip")
        #expect(try Gzip.decompress(compressed.body, limit: 1 << 24) == plain.body)
        let tag = try #require(plain.header("ETag"))
        #expect(tag == "\"\(entry["sha256"]!.stringValue!)\"")
        #expect(try app.request("GET", path, headers: [("If-None-Match", tag)]).status == 304)
        let gzipTag = try #require(compressed.header("ETag"))
        #expect(try app.request("GET", path, headers: [("If-None-Match", "W/\(gzipTag)")]).status == 304)
        #expect(try app.request("GET", path, headers: [("If-None-Match", "\"other\"")]).status == 200)
        #expect(try app.request("GET", "/v1/users/golden_u2/reports/2026-11-16").status == 404)
        #expect(try app.request("GET", "/v1/users/golden_u2/reports/last-week").status == 400)
        // Re-running replaces the artifact.
        _ = try app.request("POST", "/v1/pipelines/generate-weekly-report", json: ["week_start": "2026-11-23"])
        #expect(try artifactCount(app) == 2)
    }

    @Test func uploadsToObjectStorageAndFailsCleanly() throws {
        let moto = try MotoServer.start()
        defer { moto.stop() }
        let storage = ObjectStorageClient.Configuration(
            endpoint: moto.endpoint, bucket: "reports", region: "us-east-1", accessKeyID: "test",
            secretAccessKey: "secret")
        try ObjectStorageClient(configuration: storage, logger: TestServer.quietLogger).createBucket()
        let app = try TestService { $0.objectStorage = storage }
        defer { app.stop() }
        try Self.prepare(app)
        let response = try app.request(
            "POST", "/v1/pipelines/generate-weekly-report", json: ["week_start": "2026-11-23", "upload": true])
        #expect(try app.json(response)["counts"]?["uploaded"] == 2)
        let url: String = try app.database.pool.withConnection { connection in
            try connection.query("SELECT url FROM report_artifacts WHERE user_id = 'golden_u2'")[0].decode(0)
        }
        #expect(url == "\(moto.endpoint)/reports/reports/golden_u2/2026-11-23.html")
        let object = try ObjectStorageClient(configuration: storage, logger: TestServer.quietLogger)
            .getObject(key: "reports/golden_u2/2026-11-23.html")
        #expect(object.contentEncoding == "gzip")
        #expect(object.contentType?.hasPrefix("text/html") == true)
        let stored: ByteArray = try app.database.pool.withConnection { connection in
            try connection.query("SELECT content FROM report_artifacts WHERE user_id = 'golden_u2'")[0].decode(0)
        }
        #expect(object.body == stored.bytes)

        var missing = storage
        missing.bucket = "no-such-bucket"
        let failing = try TestService(database: try TestDatabase.create()) { $0.objectStorage = missing }
        defer { failing.stop() }
        try Self.prepare(failing)
        let failed = try failing.request(
            "POST", "/v1/pipelines/generate-weekly-report", json: ["week_start": "2026-11-23", "upload": true])
        #expect(failed.status == 500)
        #expect(try failing.json(failed)["error"]?["message"]?.stringValue?.contains("NoSuchBucket") == true)
        #expect(try artifactCount(failing) == 0, "an upload failure records nothing")
    }
}
