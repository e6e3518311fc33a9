import JSON
import TestSupport
import Testing
import UTCTime

/// SPEC §3: every date of every route lies between 2000-01-01 and today. One outside the range is a 400
/// `invalid_parameter` naming the field, answered before anything is queried or recorded: a stage asked for
/// 0001-01-01 used to fail inside PostgreSQL (SQLSTATE 22008) with a failed run recorded.
@Suite struct DateRangeRouteTests {
    static let outOfRange = ["0001-01-01", "1999-12-31", Day.today().advanced(by: 8).iso]

    static func runCount(_ app: TestService) throws -> Int {
        try app.database.pool.withConnection { try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0) }
    }

    @Test func stageDatesOutOfRangeAre400AndRecordNoRun() throws {
        let app = try TestService()
        defer { app.stop() }
        let stages: [(String, String)] = [
            ("compute-daily-kpis", "date"), ("aggregate-features-daily", "date"),
            ("generate-weekly-report", "week_start"),
        ]
        for (stage, field) in stages {
            for day in Self.outOfRange {
                try IdentifierRouteTests.expectRefused(
                    app, "POST", "/v1/pipelines/\(stage)", field: field,
                    json: .object(JSONObject([(field, .string(day))])))
            }
        }
        #expect(try Self.runCount(app) == 0, "no run is recorded for a refused date")
        let first = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2000-01-01"])
        #expect(first.status == 200, "the first day of the range is a day like any other")
        #expect(try Self.runCount(app) == 1)
    }

    @Test func queryAndPathDatesOutOfRangeAre400NamingTheParameter() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        for day in Self.outOfRange {
            try IdentifierRouteTests.expectRefused(app, "GET", "/v1/kpis?week_start=\(day)", field: "week_start")
            try IdentifierRouteTests.expectRefused(
                app, "GET", "/v1/users/golden_u2/features?from=\(day)", field: "from")
            try IdentifierRouteTests.expectRefused(app, "GET", "/v1/users/golden_u2/features?to=\(day)", field: "to")
            try IdentifierRouteTests.expectRefused(
                app, "GET", "/v1/users/golden_u2/reports/\(day)", field: "week_start")
        }
    }

    /// A week that does not start on a Monday is a 400 naming `week_start` on the report route, as on `/v1/kpis`.
    @Test func aNonMondayWeekIs400Everywhere() throws {
        let app = try TestService()
        defer { app.stop() }
        try IdentifierRouteTests.expectRefused(app, "GET", "/v1/kpis?week_start=2026-11-24", field: "week_start")
        try IdentifierRouteTests.expectRefused(
            app, "GET", "/v1/users/golden_u2/reports/2026-11-24", field: "week_start")
        try IdentifierRouteTests.expectRefused(
            app, "POST", "/v1/pipelines/generate-weekly-report", field: "week_start", json: ["week_start": "2026-11-24"]
        )
        let monday = try app.request("GET", "/v1/users/golden_u2/reports/2026-11-23")
        #expect(monday.status == 404, "a Monday without a report is still not found")
    }
}
