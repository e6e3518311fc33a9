import Foundation
import JSON
import TestSupport
import Testing

/// POST /v1/pipelines/{stage}, GET /v1/runs and /v1/runs/{id} through the real service.
@Suite(.ownThreads) struct RunRouteTests {
    @Test func waitingRunAnswersTheRecord() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let response = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(response.status == 200)
        let run = try app.json(response)
        #expect(run["status"] == "succeeded")
        #expect(run["stage"] == "compute-daily-kpis")
        #expect(run["params"]?["lookback_days"] == 30)
        #expect(run["counts"]?["learners"] == 1)
        #expect(run["duration_ms"]?.intValue != nil)
        let id = try #require(run["run_id"]?.intValue)
        let fetched = try app.json(app.request("GET", "/v1/runs/\(id)", token: TestService.readToken))
        #expect(fetched == run)
    }

    @Test func noWaitAnswers202WithLocation() throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request("POST", "/v1/pipelines/detect-inactivity?wait=false", json: [:])
        #expect(response.status == 202)
        let id = try #require(try app.json(response)["run_id"]?.intValue)
        #expect(response.header("Location") == "/v1/runs/\(id)")
        var status = ""
        for _ in 0..<100 where status != "succeeded" {
            status = try app.json(app.request("GET", "/v1/runs/\(id)"))["status"]?.stringValue ?? ""
            if status != "succeeded" { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(status == "succeeded")
    }

    @Test func secondTriggerWhileRunningIs409WithTheRunningID() throws {
        let app = try TestService()
        defer { app.stop() }
        let blocker = try app.database.connect()
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let first = try app.request("POST", "/v1/pipelines/compute-daily-kpis?wait=false", json: [:])
        let runningID = try app.json(first)["run_id"]
        let second = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: [:])
        #expect(second.status == 409)
        #expect(try app.json(second)["error"]?["running_run_id"] == runningID)
        try blocker.rollback()
        blocker.close()
    }

    @Test func badRequestsNameTheProblem() throws {
        let app = try TestService()
        defer { app.stop() }
        let unknown = try app.request("POST", "/v1/pipelines/make-coffee", json: [:])
        #expect(unknown.status == 404)
        let field = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["lookback": 3])
        #expect(field.status == 400)
        #expect(try app.json(field)["error"]?["field"] == "lookback")
        let notJSON = try app.request(
            "POST", "/v1/pipelines/compute-daily-kpis", body: Array("{".utf8),
            headers: [("Content-Type", "application/json")])
        #expect(notJSON.status == 400)
        let wait = try app.request("POST", "/v1/pipelines/compute-daily-kpis?wait=maybe", json: [:])
        #expect(wait.status == 400)
        #expect(try app.request("GET", "/v1/runs/abc").status == 400)
        #expect(try app.request("GET", "/v1/runs/999999").status == 404)
        #expect(try app.request("GET", "/v1/runs?status=weird").status == 400)
        let count: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0)
        }
        #expect(count == 0)
    }

    @Test func runListFiltersAndPages() throws {
        let app = try TestService()
        defer { app.stop() }
        for _ in 0..<3 { _ = try app.request("POST", "/v1/pipelines/detect-inactivity", json: ["dry_run": true]) }
        _ = try app.request("POST", "/v1/pipelines/aggregate-features-daily", json: [:])
        let all = try app.json(app.request("GET", "/v1/runs?stage=detect-inactivity&limit=2"))
        #expect(all["runs"]?.arrayValue?.count == 2)
        let cursor = try #require(all["next_cursor"]?.stringValue)
        let rest = try app.json(app.request("GET", "/v1/runs?stage=detect-inactivity&limit=2&cursor=\(cursor)"))
        #expect(rest["runs"]?.arrayValue?.count == 1)
        #expect(rest["next_cursor"] == .null)
        let ids = (all["runs"]!.arrayValue! + rest["runs"]!.arrayValue!).compactMap { $0["run_id"]?.intValue }
        #expect(ids == ids.sorted(by: >), "newest first")
        #expect(try app.request("GET", "/v1/runs?cursor=%%%").status == 400)
    }
}
