import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// aggregate-features-daily on hand-built days.
@Suite(.ownThreads) struct FeaturesTests {
    struct Row: Equatable {
        var user: String
        var topic: String
        var date: String
        var attempts: Int
        var correct: Int
        var average: Double?
        var median: Double?
        var hints: Int
        var theta: Double?
        var improvement: Double?
        var lastSeen: String
    }

    func rows(_ harness: Harness) throws -> [Row] {
        try harness.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT user_id, topic_id, date, attempts, correct, avg_time_ms, rt_median, hints, theta_estimate,
                    improvement, last_seen_at
                FROM features_topic_daily ORDER BY user_id, date, topic_id
                """
            ).rows.map { row in
                Row(
                    user: try row.decode(0), topic: try row.decode(1), date: try row.decode(2, as: Day.self).iso,
                    attempts: try row.decode(3), correct: try row.decode(4), average: try row.decode(5),
                    median: try row.decode(6), hints: try row.decode(7), theta: try row.decode(8),
                    improvement: try row.decode(9), lastSeen: try row.decode(10, as: Timestamp.self).rfc3339)
            }
        }
    }

    @Test func dailyRowsPerTopicWithFallbacks() throws {
        let harness = try Harness()
        try harness.execute("INSERT INTO items (item_id, topic_id) VALUES ('qi', 'from-item')")
        try Attempts.insert(
            [
                Attempts.make("u", "q1", "2026-11-24T08:00:00Z", correct: true, timeMs: 1000, hints: 0, topic: "alg"),
                Attempts.make("u", "q2", "2026-11-24T09:00:00Z", correct: false, timeMs: 3000, hints: 2, topic: "alg"),
                Attempts.make("u", "q3", "2026-11-24T10:00:00Z", correct: true, timeMs: nil, hints: nil, topic: "alg"),
                Attempts.make("u", "qi", "2026-11-24T23:59:59.999Z", correct: true, timeMs: 5000),
                Attempts.make("u", "qz", "2026-11-25T00:00:00Z", correct: false),
                Attempts.make("u", "q1", "2026-11-20T12:00:00Z", correct: true, topic: "alg"),
            ], into: harness.database)
        let record = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 2])
        #expect(record.counts["rows_written"] == 3)
        let found = try rows(harness)
        #expect(found.count == 3)
        #expect(
            found[0]
                == Row(
                    user: "u", topic: "alg", date: "2026-11-24", attempts: 3, correct: 2, average: 2000, median: 2000,
                    hints: 1, theta: nil, improvement: found[0].improvement, lastSeen: "2026-11-24T23:59:59.999Z"))
        #expect(found[1].topic == "from-item")
        #expect(found[1].lastSeen == "2026-11-24T23:59:59.999Z", "the learner's last answer that day")
        #expect(found[2].topic == "", "no topic on the attempt or the item")
        #expect(found[2].date == "2026-11-25")
        #expect(found[2].average == nil && found[2].median == nil)
    }

    @Test func recomputingReplacesTheDaysExactly() throws {
        let harness = try Harness()
        try Attempts.insert(
            [
                Attempts.make("u", "q1", "2026-11-24T08:00:00Z", correct: true, topic: "t"),
                Attempts.make("u", "q2", "2026-11-25T08:00:00Z", correct: true, topic: "gone"),
                Attempts.make("u", "q3", "2026-11-10T08:00:00Z", correct: true, topic: "old"),
            ], into: harness.database)
        _ = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-10", "lookback_days": 1])
        _ = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 2])
        #expect(try rows(harness).map(\.topic) == ["old", "t", "gone"])
        try harness.execute("DELETE FROM attempts WHERE topic_id = 'gone'")
        let record = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 2])
        #expect(record.counts["rows_deleted"] == 2)
        #expect(try rows(harness).map(\.topic) == ["old", "t"], "days outside the range are untouched")
    }

    /// A recomputed range keeps the keys that stay (updated with the new counts and run), gains new keys and loses the
    /// gone ones, in one run.
    @Test func recomputingUpdatesAddsAndRemovesRows() throws {
        let harness = try Harness()
        try Attempts.insert(
            [
                Attempts.make("u", "q1", "2026-11-24T08:00:00Z", correct: true, topic: "stays"),
                Attempts.make("u", "q2", "2026-11-25T08:00:00Z", correct: true, topic: "gone"),
            ], into: harness.database)
        let first = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 2])
        try harness.execute("DELETE FROM attempts WHERE topic_id = 'gone'")
        try Attempts.insert(
            [
                Attempts.make("u", "q3", "2026-11-24T09:00:00Z", correct: false, topic: "stays"),
                Attempts.make("u", "q4", "2026-11-25T09:00:00Z", correct: true, topic: "new"),
            ], into: harness.database)
        let second = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 2])
        #expect(second.counts["rows_deleted"] == 2)
        #expect(second.counts["rows_written"] == 2)
        let found = try rows(harness)
        #expect(found.map(\.topic) == ["stays", "new"])
        #expect(found.map(\.attempts) == [2, 1])
        #expect(found.map(\.correct) == [1, 1])
        let runs: [Int64] = try harness.database.pool.withConnection { connection in
            try connection.query("SELECT run_id FROM features_topic_daily ORDER BY date").rows.map { try $0.decode(0) }
        }
        #expect(runs == [second.runID, second.runID], "every row names the run that wrote it, not \(first.runID)")
    }

    @Test func thetaAndImprovementMatchTheKPIs() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        try harness.execute(
            "INSERT INTO pipeline_runs (stage, status, finished_at) VALUES ('calibrate-irt', 'succeeded', now())")
        try harness.execute(
            """
            INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of)
            VALUES ('golden_u2', 'v1', 0.4, 0.3, '2PL', 1, '2026-11-20T03:00:00Z', '2026-11-19')
            """)
        _ = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 30])
        let found = try rows(harness)
        #expect(found.map(\.date) == ["2026-11-10", "2026-11-25"])
        #expect(found[0].theta == nil, "no ability fitted before 10 November ended")
        #expect(found[1].theta == 0.4)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-25"])
        let kpis = try #require(try harness.kpis("golden_u2", week: "2026-11-23"))
        #expect(found[1].improvement == kpis.double("I_t"))
    }
}
