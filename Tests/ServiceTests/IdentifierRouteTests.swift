import JSON
import TestSupport
import Testing

/// One identifier rule for ids from the path, the query and bodies: 1–128 characters, no NUL. A bad id is a 400
/// naming the parameter, never a 404 and never truncated: libpq would cut `golden_u2%00x` at the NUL and answer
/// `golden_u2`'s data.
@Suite struct IdentifierRouteTests {
    static let tooLong = String(repeating: "u", count: 129)
    static let longest = String(repeating: "u", count: 128)

    /// The learner's KPIs exist, so that a truncated id would answer 200 with them.
    static func prepared() throws -> TestService {
        let app = try TestService()
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(try app.request("GET", "/v1/users/golden_u2/kpis").status == 200)
        return app
    }

    /// Expects a 400 `invalid_parameter` whose field is `field` and whose message names it.
    static func expectRefused(
        _ app: TestService, _ method: String, _ path: String, field: String, json: JSONValue? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let response = try app.request(method, path, json: json)
        #expect(response.status == 400, "\(path)", sourceLocation: sourceLocation)
        let error = try app.json(response)["error"]
        #expect(error?["code"] == "invalid_parameter", "\(path)", sourceLocation: sourceLocation)
        #expect(error?["field"] == .string(field), "\(path)", sourceLocation: sourceLocation)
        #expect(
            error?["message"]?.stringValue?.hasPrefix(field) == true, "\(path): \(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    @Test func pathIdsWithNULOrTooLongAre400NamingTheParameter() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        for id in ["golden_u2%00garbage", "u000001%00garbage", Self.tooLong] {
            for suffix in ["kpis", "features", "ability", "reports", "reports/2026-11-23"] {
                try Self.expectRefused(app, "GET", "/v1/users/\(id)/\(suffix)", field: "user_id")
            }
            try Self.expectRefused(app, "POST", "/v1/users/\(id)/ability/estimate", field: "user_id", json: [:])
            try Self.expectRefused(app, "GET", "/v1/items/\(id)", field: "item_id")
        }
        let nul = try app.json(app.request("GET", "/v1/users/golden_u2%00garbage/kpis"))
        #expect(nul["error"]?["message"] == "user_id must not contain NUL characters")
        let long = try app.json(app.request("GET", "/v1/users/\(Self.tooLong)/kpis"))
        #expect(long["error"]?["message"] == "user_id must be 1 to 128 characters, got 129")
        // 128 characters are an id: an unknown learner, not a bad request.
        #expect(try app.request("GET", "/v1/users/\(Self.longest)/kpis").status == 404)
        try Self.expectRefused(app, "GET", "/v1/runs/0", field: "run_id")
        try Self.expectRefused(app, "GET", "/v1/calibrations/abc", field: "run_id")
        try Self.expectRefused(app, "GET", "/v1/users/golden_u2/reports/2026-13-01", field: "week_start")
    }

    @Test func queryIdsWithNULOrTooLongAre400NamingTheParameter() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let weekly = "/api/seedtest/analysis/metrics/weekly"
        #expect(try app.request("GET", "\(weekly)?user_id=golden_u2").status == 200)
        for id in ["golden_u2%00garbage", Self.tooLong] {
            try Self.expectRefused(app, "GET", "\(weekly)?user_id=\(id)", field: "user_id")
            try Self.expectRefused(app, "GET", "/v1/users/golden_u2/ability?version=\(id)", field: "version")
            try Self.expectRefused(app, "GET", "/v1/abilities?version=\(id)", field: "version")
            try Self.expectRefused(app, "GET", "/v1/users/golden_u2/features?topic_id=\(id)", field: "topic_id")
            try Self.expectRefused(app, "GET", "/v1/items?topic_id=\(id)", field: "topic_id")
        }
        let nul = try app.json(app.request("GET", "\(weekly)?user_id=golden_u2%00garbage"))
        #expect(nul["error"]?["message"] == "user_id must not contain NUL characters")
        try Self.expectRefused(app, "GET", "/v1/users/golden_u2/kpis?weeks=13", field: "weeks")
        try Self.expectRefused(app, "GET", "/v1/runs?status=weird", field: "status")
    }

    @Test func bodyIdsFollowTheSameRule() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let estimate = "/v1/users/golden_u2/ability/estimate"
        let nul: JSONValue = ["responses": [["item_id": "q\u{0}x", "correct": true]]]
        try Self.expectRefused(app, "POST", estimate, field: "responses[0].item_id", json: nul)
        try Self.expectRefused(
            app, "POST", "/v1/pipelines/compute-daily-kpis", field: "user_ids",
            json: ["user_ids": [.string(Self.tooLong)]])
        let ingest = try app.request(
            "POST", "/v1/attempts",
            json: [
                [
                    "user_id": "golden_u2\u{0}x", "item_id": "q", "correct": true,
                    "answered_at": "2026-11-20T10:00:00Z",
                ]
            ])
        #expect(ingest.status == 400)
        #expect(
            try app.json(ingest)["error"]?["message"] == #"record 1: field "user_id" must not contain NUL characters"#)
    }
}
