import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// Runs compute as of a day (SPEC §3): `date` defaults to yesterday, results record `as_of`, and earlier results are
/// looked up by `as_of`, never by when their run happened.
@Suite(.ownThreads) struct AsOfTests {
    @Test func dateDefaultsToYesterdayForTheStagesThatComputeAsOfADay() throws {
        let today = try #require(Day(iso: "2026-11-30"))
        for stage in [Stage.computeDailyKPIs, .aggregateFeaturesDaily, .calibrateIRT] {
            let request = try StageRequest.parse(stage: stage, body: JSONObject(), today: today)
            #expect(request.parameters["date"] == "2026-11-29", "\(stage.rawValue)")
            let explicit = try StageRequest.parse(stage: stage, body: ["date": .string(Day.today().iso)], today: today)
            #expect(explicit.parameters["date"] == .string(Day.today().iso), "today when asked for")
            for refused in [Day.today().advanced(by: 1).iso, "1999-12-31"] {
                do {
                    _ = try StageRequest.parse(stage: stage, body: ["date": .string(refused)], today: today)
                    Issue.record("\(stage.rawValue) must refuse date \(refused)")
                } catch {
                    #expect(String(describing: error).hasPrefix("date "), "\(error)")
                }
            }
        }
    }

    @Test func aKPIRunAsOfSundayCompletesItsWeekAndMidWeekDoesNot() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        // Monday 30 November: the default run is as of Sunday 29 November, the end of the week of 23 November.
        let nightly = try harness.run(.computeDailyKPIs, today: "2026-11-30")
        #expect(nightly.parameters["date"] == "2026-11-29")
        var week = try #require(try weekRow(harness, "golden_u2", week: "2026-11-23"))
        #expect(week.asOf == Day(iso: "2026-11-29"))
        #expect(week.complete)
        #expect(abs((week.kpis.double("S") ?? 0) - 0.5264286) < 1e-6, "SPEC §4's worked example, as of Sunday")
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-25"])
        week = try #require(try weekRow(harness, "golden_u2", week: "2026-11-23"))
        #expect(week.asOf == Day(iso: "2026-11-25"))
        #expect(!week.complete)
    }

    /// Two estimates of one learner: run 1 ran later (1 December) but is as of 20 November; run 2 ran on
    /// 22 November as of 21 November. Selection by `as_of` picks run 2 for anything as of 21 November or after,
    /// and run 1 as of 20 November, although run 1 was fitted after both days.
    @Test func abilitiesAreSelectedByAsOfNotByWhenTheyWereFitted() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        try harness.execute(
            """
            INSERT INTO pipeline_runs (stage, status, finished_at) VALUES
                ('calibrate-irt', 'succeeded', now()), ('calibrate-irt', 'succeeded', now())
            """)
        try harness.execute(
            """
            INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of) VALUES
                ('golden_u2', 'v1', 0.9, 0.5, '2PL', 1, '2026-12-01T03:00:00Z', '2026-11-20'),
                ('golden_u2', 'v1', -0.2, 0.4, '2PL', 2, '2026-11-22T03:00:00Z', '2026-11-21')
            """)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        let late = try #require(try harness.kpis("golden_u2", week: "2026-11-23"))
        #expect(late.double("P") == Self.goalProbability(theta: -0.2, se: 0.4))
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-20"])
        let early = try #require(try harness.kpis("golden_u2", week: "2026-11-16"))
        #expect(early.double("P") == Self.goalProbability(theta: 0.9, se: 0.5))
        // Ties on as_of go to the latest run.
        try harness.execute(
            "INSERT INTO pipeline_runs (stage, status, finished_at) VALUES ('calibrate-irt', 'succeeded', now())")
        try harness.execute(
            """
            INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of)
            VALUES ('golden_u2', 'v1', 0.3, 0.6, '2PL', 3, '2026-11-21T05:00:00Z', '2026-11-21')
            """)
        _ = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 30])
        let features = try harness.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT date::text, theta_estimate FROM features_topic_daily WHERE user_id = 'golden_u2' ORDER BY date
                """
            ).rows.map { (try $0.decode(0, as: String.self), try $0.decode(1, as: Double?.self)) }
        }
        #expect(features.map(\.0) == ["2026-11-10", "2026-11-25"])
        #expect(features.map(\.1) == [nil, 0.3])
    }

    /// `P` of one estimate, by the stage's own formula (the default target).
    static func goalProbability(theta: Double, se: Double) -> Double? {
        var input = LearnerAggregates()
        input.latestAbility = AbilityEstimateRow(theta: theta, se: se, asOf: Day(iso: "2026-11-01")!)
        return KPIFormulas.goalProbability(input)
    }

    func weekRow(_ harness: Harness, _ user: String, week: String) throws -> KPIWeekRow? {
        try harness.database.pool.withConnection { connection in
            try KPIReads.weeks(of: user, limit: 12, connection).first { $0.weekStart == Day(iso: week) }
        }
    }
}
