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
