import Foundation
import JSON
import TestSupport
import Testing

/// POST /v1/backfills, GET /v1/backfills(/{id}) and POST /v1/backfills/{id}/cancel through the real service.
@Suite(.ownThreads) struct BackfillRouteTests {
    /// Polls a backfill until it is no longer running (at most `seconds`) and returns its record.
    func finished(_ app: TestService, _ id: Int64, seconds: Double = 30) throws -> JSONValue {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var record = try app.json(app.request("GET", "/v1/backfills/\(id)", token: TestService.readToken))
        while record["status"] == "running" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            record = try app.json(app.request("GET", "/v1/backfills/\(id)", token: TestService.readToken))
        }
        return record
    }

    @Test func aBackfillStartsWith202AndIsReadBack() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let body: JSONValue = ["from": "2026-11-22", "to": "2026-11-23", "stages": ["compute-daily-kpis"]]
        let response = try app.request("POST", "/v1/backfills", json: body)
        #expect(response.status == 202)
        let started = try app.json(response)
        let id = try #require(started["backfill_id"]?.intValue)
        #expect(response.header("Location") == "/v1/backfills/\(id)")
        #expect(started["days_total"] == 2)
        #expect(started["params"]?["calibrate_every_days"] == 7)
        let record = try finished(app, id)
        #expect(record["status"] == "succeeded")
        #expect(record["days_done"] == 2)
        let runIDs = try #require(record["run_ids"]?.arrayValue)
        #expect(runIDs.count == 2)
        let run = try app.json(app.request("GET", "/v1/runs/\(runIDs[0].intValue ?? 0)"))
        #expect(run["backfill_id"] == .int(id))
        #expect(run["params"]?["date"] == "2026-11-22")
        let list = try app.json(app.request("GET", "/v1/backfills", token: TestService.readToken))
        #expect(list["backfills"]?.arrayValue?.first?["backfill_id"] == .int(id))
        let cancel = try app.request("POST", "/v1/backfills/\(id)/cancel", json: [:])
        #expect(cancel.status == 409)
        #expect(try app.json(cancel)["error"]?["code"] == "backfill_finished")
        #expect(try app.request("POST", "/v1/backfills/999/cancel", json: [:]).status == 404)
        #expect(try app.request("GET", "/v1/backfills/999").status == 404)
        #expect(try app.request("POST", "/v1/backfills", json: body, token: TestService.readToken).status == 403)
    }

    @Test func aSecondBackfillIs409AndACancelStopsTheFirst() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let blocker = try app.database.connect()
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let first = try app.json(
            app.request(
                "POST", "/v1/backfills",
                json: ["from": "2026-11-20", "to": "2026-11-29", "stages": ["compute-daily-kpis"]]
            ))
        let id = try #require(first["backfill_id"]?.intValue)
        let second = try app.request(
            "POST", "/v1/backfills", json: ["from": "2026-11-20", "stages": ["aggregate-features-daily"]])
        #expect(second.status == 409)
        let error = try app.json(second)["error"]
        #expect(error?["code"] == "backfill_in_progress")
        #expect(error?["running_backfill_id"] == .int(id))
        #expect(error?["message"]?.stringValue?.contains("backfill \(id)") == true)
        let cancel = try app.request("POST", "/v1/backfills/\(id)/cancel", json: [:])
        #expect(cancel.status == 202)
        let record = try finished(app, id, seconds: 10)
        #expect(record["status"] == "cancelled")
        #expect(record["error"]?.stringValue?.contains("cancelled by request") == true)
        #expect(record["cancel_requested_at"]?.stringValue != nil)
        try blocker.rollback()
        blocker.close()
    }

    @Test func aRetryWithTheSameIdempotencyKeyJoinsTheSameBackfill() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let body: JSONValue = ["from": "2026-11-28", "to": "2026-11-29", "stages": ["compute-daily-kpis"]]
        let key = [("Idempotency-Key", "job-uid-7f3a")]
        let first = try app.request("POST", "/v1/backfills", json: body, headers: key)
        #expect(first.status == 202)
        let id = try #require(try app.json(first)["backfill_id"]?.intValue)
        let retry = try app.request("POST", "/v1/backfills", json: body, headers: key)
        #expect(retry.status == 202)
        #expect(try app.json(retry)["backfill_id"] == .int(id))
        #expect(retry.header("Location") == "/v1/backfills/\(id)")
        let other = try app.request(
            "POST", "/v1/backfills", json: ["from": "2026-11-27", "stages": ["compute-daily-kpis"]], headers: key)
        #expect(other.status == 422)
        #expect(try app.json(other)["error"]?["code"] == "idempotency_key_reused")
        #expect(try finished(app, id)["status"] == "succeeded")
        let all = try app.json(app.request("GET", "/v1/backfills"))["backfills"]?.arrayValue ?? []
        #expect(all.count == 1, "no second backfill was started")
        let bad = try app.request("POST", "/v1/backfills", json: body, headers: [("Idempotency-Key", "")])
        #expect(bad.status == 400)
    }

    @Test(
        arguments: [
            (#"{"to": "2026-11-02"}"#, "from"),
            (#"{"from": "2026-11-05", "to": "2026-11-04"}"#, "from"),
            (#"{"from": "2026-11-05", "to": "2999-01-01"}"#, "to"),
            (#"{"from": "2020-01-01", "to": "2021-12-31"}"#, "to"),
            (#"{"from": "2026-11-05", "stages": ["bake-bread"]}"#, "stages"),
        ])
    func badBodiesAre400NamingTheField(body: String, field: String) throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request(
            "POST", "/v1/backfills", body: Array(body.utf8), headers: [("Content-Type", "application/json")])
        #expect(response.status == 400)
        #expect(try app.json(response)["error"]?["field"] == .string(field))
    }
}
