import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// `KPIReads` and `LearnerReads` against PostgreSQL, without HTTP.
@Suite struct KPIReadsTests {
    func fixture() throws -> Harness {
        let harness = try Harness()
        try harness.execute(
            """
            INSERT INTO weekly_kpi (user_id, week_start, kpis, updated_at, as_of) VALUES
                ('a', '2026-11-09', '{"I_t": 0.5, "extra": 1}', '2026-11-10T00:00:00Z', '2026-11-09'),
                ('a', '2026-11-16', '{"I_t": 0.6}', '2026-11-23T02:10:00Z', '2026-11-22'),
                ('a', '2026-11-23', '{"S": 0.1}', '2026-11-24T00:00:00Z', '2026-11-23'),
                ('b', '2026-11-23', '{}', '2026-11-24T00:00:00Z', '2026-11-23'),
                ('c', '2026-11-23', '{"P": 0.9}', '2026-11-24T00:00:00Z', '2026-11-23')
            """)
        return harness
    }

    @Test func weeksOfALearnerAreNewestFirstAndLimited() throws {
        let harness = try fixture()
        let rows = try KPIReads.weeks(of: "a", limit: 2, pool: harness.database.pool)
        #expect(rows.map(\.weekStart.iso) == ["2026-11-23", "2026-11-16"])
        #expect(rows[0].userID == "a")
        #expect(rows[0].kpis == JSONObject([("S", .double(0.1))]))
        #expect(rows[0].updatedAt == Timestamp(rfc3339: "2026-11-24T00:00:00Z"))
        #expect(rows[1].standardKPIs["I_t"] == .double(0.6))
        #expect(rows[1].standardKPIs["S"] == .null)
        #expect(rows.map(\.asOf.iso) == ["2026-11-23", "2026-11-22"])
        #expect(rows.map(\.complete) == [false, true], "a week is complete as of its Sunday")
        #expect(try KPIReads.weeks(of: "nobody", limit: 4, pool: harness.database.pool).isEmpty)
        // A hostile id is a value, not SQL.
        #expect(try KPIReads.weeks(of: "a' OR '1'='1", limit: 4, pool: harness.database.pool).isEmpty)
    }

    @Test func oneWeekPagesByLearner() throws {
        let harness = try fixture()
        try harness.database.pool.withConnection { connection throws in
            #expect(try KPIReads.latestWeek(connection)?.iso == "2026-11-23")
            let week = try #require(Day(iso: "2026-11-23"))
            let first = try KPIReads.week(week, after: nil, limit: 2, connection)
            #expect(first.map(\.userID) == ["a", "b"])
            let rest = try KPIReads.week(week, after: "b", limit: 2, connection)
            #expect(rest.map(\.userID) == ["c"])
            #expect(rest[0].kpis["P"] == .double(0.9))
        }
    }

    @Test func latestWeekIsNilWithoutKPIs() throws {
        let harness = try Harness()
        try harness.database.pool.withConnection { connection throws in
            #expect(try KPIReads.latestWeek(connection) == nil)
        }
    }

    @Test func learnerIsKnownByAttemptsKPIsOrAbility() throws {
        let harness = try fixture()
        try Attempts.insert(
            [Attempts.make("by-attempt", "q1", "2026-11-20T10:00:00Z", correct: true)], into: harness.database)
        try harness.execute(
            "INSERT INTO pipeline_runs (stage, status, finished_at) VALUES ('calibrate-irt', 'succeeded', now())")
        try harness.execute(
            """
            INSERT INTO mirt_ability (user_id, version, theta, se, model, run_id, fitted_at, as_of)
            VALUES ('by-ability', 'v1', 0.1, 0.2, '2PL', 1, now(), current_date)
            """)
        try harness.database.pool.withConnection { connection throws in
            for known in ["a", "by-attempt", "by-ability"] {
                #expect(try LearnerReads.exists(known, connection), "\(known)")
            }
            #expect(try !LearnerReads.exists("stranger", connection))
        }
    }
}
