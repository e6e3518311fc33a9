import Foundation
import JSON
import TestSupport
import Testing
import UTCTime

/// Places where openapi.yaml and the code used to disagree, each settled in one direction and held here: the runs
/// page limit, a null `anchor`, the clock-skew allowance at ingest, forged cursors, undeclared 501 and 503 answers and
/// the type `/openapi.yaml` is served with.
@Suite struct SpecAgreementTests {
    static let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("openapi.yaml").path

    /// `/v1/runs?limit` goes up to 1000, as the shared `Limit` parameter says (the code stopped at 500).
    @Test func runsLimitIsTheDocumentedOne() throws {
        let app = try TestService()
        defer { app.stop() }
        #expect(try app.request("GET", "/v1/runs?limit=1000").status == 200)
        let over = try app.request("GET", "/v1/runs?limit=1001")
        #expect(over.status == 400)
        #expect(try app.json(over)["error"]?["field"] == "limit")
        let text = try String(contentsOfFile: Self.spec, encoding: .utf8)
        #expect(text.contains("schema: {type: integer, minimum: 1, maximum: 1000, default: 100}"))
    }

    /// `anchor` is a boolean with a default, not nullable: `null` is refused naming it, not read as false.
    @Test func aNullAnchorIsRefused() throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request("POST", "/v1/items", json: [["item_id": "n1", "anchor": .null]])
        #expect(response.status == 400)
        let message = try app.json(response)["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains(#"field "anchor" must be true or false, got null"#), "\(message)")
        #expect(try app.request("POST", "/v1/items", json: [["item_id": "n1", "anchor": false]]).status == 200)
    }

    /// Answers may be dated up to one hour after the server's clock (documented clock skew): 59 minutes ahead is
    /// accepted, 61 minutes ahead refuses the body, on the scanner's fast path and on the general parser's path (a
    /// string with an escape sends a record there).
    @Test func clockSkewAllowanceIsOneHour() throws {
        let app = try TestService()
        defer { app.stop() }
        func post(_ minutes: Int64, user: String) throws -> TestResponse {
            let at = Timestamp.now().adding(microseconds: minutes * 60_000_000).rfc3339
            let body = #"[{"user_id":"\#(user)","item_id":"q","correct":true,"answered_at":"\#(at)"}]"#
            return try app.request(
                "POST", "/v1/attempts", body: Array(body.utf8), headers: [("Content-Type", "application/json")])
        }
        for user in ["skew", #"sk\u0065w"#] {
            #expect(try post(59, user: user).status == 200, "\(user)")
            let refused = try post(61, user: user)
            #expect(refused.status == 400, "\(user)")
            let message = try app.json(refused)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains(#"field "answered_at" is in the future"#), "\(message)")
        }
        let documented = try String(contentsOfFile: Self.spec, encoding: .utf8)
        #expect(documented.contains("allowance of one hour for clock"))
    }

    /// A cursor is versioned and checksummed: made-up text (`LTE`), an unversioned cursor of the old form (`MQ`), a
    /// versioned one without its checksum (`djEAMQ`), a damaged
    /// one and one of another route are each a 400 `invalid_cursor` naming `cursor`; the cursors the API hands out
    /// still page.
    @Test func forgedCursorsAre400NamingTheCursor() throws {
        let app = try TestService()
        defer { app.stop() }
        for _ in 0..<3 { _ = try app.request("POST", "/v1/pipelines/detect-inactivity", json: ["dry_run": true]) }
        let first = try app.json(app.request("GET", "/v1/runs?limit=2"))
        let cursor = try #require(first["next_cursor"]?.stringValue)
        let next = try app.json(app.request("GET", "/v1/runs?limit=2&cursor=\(cursor)"))
        #expect(next["runs"]?.arrayValue?.count == 1)
        let damaged = String(cursor.dropLast()) + (cursor.last == "A" ? "B" : "A")
        let otherRoute = try #require(
            try app.json(app.request("GET", "/v1/runs?limit=1"))["next_cursor"]?.stringValue)
        let forged = ["LTE", "MQ", "OTk5OQ", "djEAMQ", damaged]
        for route in ["/v1/runs", "/v1/kpis", "/v1/inactive-users", "/v1/items", "/v1/abilities", "/v1/calibrations"] {
            for bad in forged {
                let response = try app.request("GET", "\(route)?cursor=\(bad)")
                #expect(response.status == 400, "\(route) \(bad)")
                let error = try app.json(response)["error"]
                #expect(error?["code"] == "invalid_cursor", "\(route) \(bad)")
                #expect(error?["field"] == "cursor", "\(route) \(bad)")
            }
        }
        // A run cursor holds one part; the inactivity list's holds two.
        #expect(try app.request("GET", "/v1/inactive-users?cursor=\(otherRoute)").status == 400)
    }

    /// A query parameter is given once and not empty, and a run parameter is not `null` (none is declared nullable):
    /// each used to be read as "absent" and silently replaced by the default (schemathesis: schema-violating
    /// requests accepted).
    @Test func emptyRepeatedAndNullParametersAreRefused() throws {
        let app = try TestService()
        defer { app.stop() }
        let queries = [
            ("/v1/runs?status=", "status"), ("/v1/runs?limit=1&limit=2", "limit"),
            ("/v1/kpis?week_start=", "week_start"),
            ("/v1/users/u/ability?history=&history=3", "history"), ("/v1/calibrations?cursor=", "cursor"),
            ("/v1/users/u/features?to=", "to"), ("/api/seedtest/analysis/metrics/weekly?user_id=", "user_id"),
        ]
        for (path, field) in queries {
            try IdentifierRouteTests.expectRefused(app, "GET", path, field: field)
        }
        try IdentifierRouteTests.expectRefused(
            app, "POST", "/v1/pipelines/compute-daily-kpis", field: "dry_run", json: ["dry_run": .null])
        try IdentifierRouteTests.expectRefused(
            app, "POST", "/v1/pipelines/calibrate-irt", field: "topic_id", json: ["topic_id": .null])
        try IdentifierRouteTests.expectRefused(
            app, "POST", "/v1/users/u/ability/estimate", field: "responses", json: ["responses": .null])
        let runs: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0)
        }
        #expect(runs == 0)
    }

    /// Every operation declares 408 (the request did not arrive in time), 501 (a method the server does not
    /// implement) and 503 (unavailable or overloaded), and the server answers them as declared.
    @Test func everyOperationDeclares408And501And503() throws {
        let text = try String(contentsOfFile: Self.spec, encoding: .utf8)
        let operations = text.components(separatedBy: "\n      responses:\n").dropFirst()
        #expect(operations.count >= 27)
        for operation in operations {
            let block = operation.components(separatedBy: "\n\n")[0].components(separatedBy: "\n  /")[0]
            #expect(block.contains(##""501": {$ref: "#/components/responses/NotImplemented"}"##), "\(block.prefix(80))")
            #expect(block.contains(#""503""#), "\(block.prefix(80))")
            #expect(block.contains(##""408": {$ref: "#/components/responses/RequestTimeout"}"##), "\(block.prefix(80))")
        }
        let app = try TestService { $0.http.bodyDeadlineBase = 0.3 }
        defer { app.stop() }
        let slow = try TestConnection(port: app.port)
        try slow.send(
            "POST /v1/attempts HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(TestService.adminToken)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n[")
        let timedOut = try slow.readResponse()
        #expect(timedOut.status == 408)
        #expect(try app.json(timedOut)["error"]?["code"] == "request_timeout")
        let brew = try app.request("BREW", "/v1/runs")
        #expect(brew.status == 501)
        #expect(try app.json(brew)["error"]?["code"] == "method_not_implemented")
        let query = try app.request("QUERY", "/v1/runs")
        #expect(query.status == 405, "QUERY is a known method that no route takes")
        #expect(query.header("Allow")?.contains("GET") == true)
    }

    /// `/openapi.yaml` is served as `application/yaml`, the type the document declares for it, and declared as the
    /// YAML mapping it is (a YAML-aware client reads it as data, not as a string).
    @Test func openAPIDocumentHasItsDeclaredType() throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request("GET", "/openapi.yaml", token: nil)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/yaml")
        let text = try String(contentsOfFile: Self.spec, encoding: .utf8)
        #expect(
            text.contains("application/yaml:\n              schema: {type: object, required: [openapi, info, paths]}"))
    }
}
