import JSON
import TestSupport
import Testing
import UTCTime

/// KPI, feature, inactivity and compatibility reads after real runs.
@Suite(.ownThreads) struct ReadRouteTests {
    static func prepared() throws -> TestService {
        let app = try TestService()
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        try Attempts.insert(Attempts.goldenExample(user: "Ωmega/ü"), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-22"])
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        _ = try app.request(
            "POST", "/v1/pipelines/aggregate-features-daily", json: ["date": "2026-11-25", "lookback_days": 30])
        // A dry run: its record joins the run list, but P and S as of the real today would add a week to the KPIs.
        _ = try app.request("POST", "/v1/pipelines/detect-inactivity", json: ["dry_run": true])
        return app
    }

    @Test func learnerKPIsNewestFirstAndUnknownLearner() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let body = try app.json(app.request("GET", "/v1/users/golden_u2/kpis?weeks=12", token: TestService.readToken))
        let weeks = try #require(body["weeks"]?.arrayValue)
        #expect(weeks.map { $0["week_start"]?.stringValue } == ["2026-11-23", "2026-11-16"])
        #expect(abs((weeks[0]["kpis"]?["E_t"]?.doubleValue ?? 0) - 0.4545455) < 1e-6)
        #expect(weeks.map { $0["as_of"]?.stringValue } == ["2026-11-29", "2026-11-22"])
        #expect(weeks.map { $0["complete"]?.boolValue } == [true, true])
        let encoded = try app.json(app.request("GET", "/v1/users/%CE%A9mega%2F%C3%BC/kpis"))
        #expect(encoded["user_id"] == "Ωmega/ü")
        #expect(try app.request("GET", "/v1/users/nobody/kpis").status == 404)
        #expect(try app.request("GET", "/v1/users/golden_u2/kpis?weeks=13").status == 400)
        #expect(try app.request("GET", "/v1/users/golden_u2/kpis?weeks=x").status == 400)
    }

    @Test func dashboardWeekPaging() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let first = try app.json(app.request("GET", "/v1/kpis?week_start=2026-11-23&limit=1"))
        #expect(first["week_start"] == "2026-11-23")
        #expect(first["items"]?.arrayValue?.first?["user_id"] == "golden_u2")
        let cursor = try #require(first["next_cursor"]?.stringValue)
        let second = try app.json(app.request("GET", "/v1/kpis?week_start=2026-11-23&limit=1&cursor=\(cursor)"))
        #expect(second["items"]?.arrayValue?.first?["user_id"] == "Ωmega/ü")
        #expect(second["next_cursor"] == .null)
        #expect(try app.request("GET", "/v1/kpis?week_start=2026-11-24").status == 400)
        #expect(try app.request("GET", "/v1/kpis?week_start=2026-02-30").status == 400)
        #expect(
            try app.json(app.request("GET", "/v1/kpis"))["week_start"] == "2026-11-23", "defaults to the latest week")
    }

    @Test func compatibilityRouteKeepsTheOldShape() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let path = "/api/seedtest/analysis/metrics/weekly?user_id=golden_u2&weeks=50"
        let body = try app.json(app.request("GET", path, token: TestService.readToken))
        let rows = try #require(body.arrayValue)
        #expect(rows.count == 2, "weeks is clamped to 12, not refused")
        #expect(rows[0]["week_start"] == "2026-11-23")
        #expect(rows[0]["kpis"]?.objectValue?.keys == ["I_t", "E_t", "R_t", "A_t", "P", "S"])
        #expect(rows[0].objectValue?.keys == ["user_id", "week_start", "kpis", "as_of", "complete"])
        #expect(rows[0]["as_of"] == "2026-11-29")
        #expect(rows[0]["complete"] == true, "computed as of its Sunday")
        let single = try app.json(app.request("GET", "/api/seedtest/analysis/metrics/weekly?user_id=golden_u2&weeks=0"))
        #expect(single.arrayValue?.count == 1)
        #expect(try app.request("GET", "/api/seedtest/analysis/metrics/weekly?user_id=nobody").status == 404)
        let empty = try app.request("GET", "/api/seedtest/analysis/metrics/weekly?user_id=nobody&include_empty=true")
        #expect(empty.status == 200)
        #expect(try app.json(empty) == [])
        #expect(try app.request("GET", "/api/seedtest/analysis/metrics/weekly").status == 400)
    }

    @Test func featuresAndInactiveUsers() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let features = try app.json(app.request("GET", "/v1/users/golden_u2/features?from=2026-11-01&to=2026-11-30"))
        let rows = try #require(features["features"]?.arrayValue)
        #expect(rows.map { $0["date"]?.stringValue } == ["2026-11-25", "2026-11-10"])
        #expect(rows[0]["topic_id"] == "t1")
        #expect(rows[0]["attempts"] == 2)
        #expect(try app.request("GET", "/v1/users/golden_u2/features?from=2026-12-01&to=2026-11-01").status == 400)
        #expect(try app.request("GET", "/v1/users/golden_u2/features?from=yesterday").status == 400)
        #expect(try app.request("GET", "/v1/users/nobody/features").status == 404)
    }

    @Test func inactiveUsersLongestFirstInPages() throws {
        let app = try TestService()
        defer { app.stop() }
        let today = Day.today()
        func at(_ daysAgo: Int) -> String {
            today.advanced(by: -daysAgo).start.adding(microseconds: 3_600_000_000).rfc3339
        }
        try Attempts.insert(
            [
                Attempts.make("recent", "q1", at(1), correct: true),
                Attempts.make("gone-20", "q1", at(20), correct: true),
                Attempts.make("gone-30", "q1", at(30), correct: false),
                Attempts.make("gone-200", "q1", at(200), correct: true),
            ], into: app.database)
        _ = try app.request("POST", "/v1/pipelines/detect-inactivity", json: [:])
        let inactive = try app.json(app.request("GET", "/v1/inactive-users?limit=1"))
        let items = try #require(inactive["items"]?.arrayValue)
        #expect(items.count == 1)
        #expect(items[0]["user_id"] == "gone-30")
        #expect(items[0]["days_inactive"] == 30)
        let next = try #require(inactive["next_cursor"]?.stringValue)
        let rest = try app.json(app.request("GET", "/v1/inactive-users?limit=1&cursor=\(next)"))
        #expect(rest["items"]?.arrayValue?.map { $0["user_id"] } == ["gone-20"])
        #expect(rest["next_cursor"] == .null, "dormant and active learners are not listed")
        let filtered = try app.json(app.request("GET", "/v1/inactive-users?min_days=25"))
        #expect(filtered["items"]?.arrayValue?.map { $0["user_id"] } == ["gone-30"])
        #expect(try app.request("GET", "/v1/inactive-users?min_days=-1").status == 400)
    }

    @Test func listsAreGzippedWhenAsked() throws {
        let app = try Self.prepared()
        defer { app.stop() }
        let response = try app.request("GET", "/v1/runs?limit=50", headers: [("Accept-Encoding", "gzip")])
        #expect(response.status == 200)
        #expect(response.header("Content-Encoding") == "gzip")
    }
}
