import Foundation
import Pipelines
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

/// aggregate-features-daily counts its rows in Swift while the attempts stream out; these checks hold its rows to
/// PostgreSQL's own aggregates over the same attempts (count, avg, percentile_cont, the day's last answer); and
/// detect-inactivity, which groups the churn sessions in SQL, must give the same `S` as the KPI stage, which counts
/// them in Swift. Both on random attempts.
@Suite(.ownThreads) struct FeaturesEquivalenceTests {
    /// A small deterministic generator (the tests must not depend on the platform's random source).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Learners answering on random days of November 2026: topics on the attempt, on the item only, or on
    /// neither; response times and hints sometimes missing; groups of even and odd sizes; session ids sometimes
    /// missing (a day session).
    static func attempts(seed: UInt64) -> [AttemptRecord] {
        var random = Generator(state: seed)
        var records: [AttemptRecord] = []
        for learner in 0..<12 {
            for _ in 0..<(20 + random.next(40)) {
                let day = 1 + random.next(30)
                let hour = 6 + random.next(16)
                let at = String(
                    format: "2026-11-%02dT%02d:%02d:%02d.%03dZ", day, hour, random.next(60), random.next(60),
                    random.next(1000))
                let item = ["qa", "qb", "qc", "qi", "qj", "qz"][random.next(6)]
                let topic: String? =
                    item.hasPrefix("qi") || item.hasPrefix("qj") || item == "qz" ? nil : ["t1", "t2"][random.next(2)]
                let time: Int? = random.next(5) == 0 ? nil : 500 + random.next(20_000)
                let hints: Int? = random.next(4) == 0 ? nil : random.next(3)
                let session: String? = random.next(5) == 0 ? nil : "s\(learner)-\(day)-\(hour / 12)"
                records.append(
                    Attempts.make(
                        "learner\(learner)", item, at, correct: random.next(3) > 0, timeMs: time, hints: hints,
                        topic: topic, session: session))
            }
        }
        return records
    }

    /// Ids spelled with a composed "é" (U+00E9) and a decomposed one ("e" + U+0301): one id as Swift `String`s
    /// (canonically equivalent), two under PostgreSQL's "C" collation of the id columns, so two learners and two
    /// topics, on the attempt or through the item, each with its own rows. (Every attempt has its own item: the key
    /// of `attempts` is learner, time and item.)
    static let composed = "ren\u{E9}"
    static let decomposed = "rene\u{301}"
    static func spellings() -> [AttemptRecord] {
        [composed, decomposed].flatMap { learner in
            [composed, decomposed].flatMap { topic in
                [
                    Attempts.make(
                        learner, "qa-" + topic, "2026-11-20T08:00:00.000Z", correct: true, timeMs: 900, topic: topic),
                    Attempts.make(
                        learner, "qa-" + topic, "2026-11-20T09:00:00.000Z", correct: false, timeMs: 1500, topic: topic),
                    Attempts.make(learner, "item-" + topic, "2026-11-21T10:00:00.000Z", correct: true, timeMs: 700),
                ]
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3]) func rowsMatchPostgreSQLsOwnAggregates(seed: UInt64) throws {
        let harness = try Harness()
        try harness.execute("INSERT INTO items (item_id, topic_id) VALUES ('qi', 'from-item'), ('qj', NULL)")
        try harness.execute(
            """
            INSERT INTO items (item_id, topic_id)
            VALUES (\("item-" + Self.composed), \(Self.composed)), (\("item-" + Self.decomposed), \(Self.decomposed))
            """)
        _ = try Attempts.insert(Self.attempts(seed: seed) + Self.spellings(), into: harness.database)
        let record = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25", "lookback_days": 10])
        #expect(record.status == .succeeded)
        let (rows, mismatches, spelled) = try harness.database.pool.withConnection { connection in
            let rows: Int = try connection.query("SELECT count(*) FROM features_topic_daily")[0].decode(0)
            let mismatches: Int = try connection.query(
                """
                WITH reference AS (
                    SELECT user_id, topic_id, day, attempts, correct, avg_time, rt_median, hinted,
                        max(last_answer) OVER (PARTITION BY user_id, day) AS last_seen
                    FROM (
                        SELECT a.user_id, COALESCE(a.topic_id, i.topic_id, '') AS topic_id,
                            (a.answered_at AT TIME ZONE 'UTC')::date AS day,
                            count(*) AS attempts, count(*) FILTER (WHERE a.correct) AS correct,
                            avg(a.response_time_ms::float8) AS avg_time,
                            percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms) AS rt_median,
                            count(*) FILTER (WHERE a.hints > 0) AS hinted, max(a.answered_at) AS last_answer
                        FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
                        WHERE a.answered_at >= '2026-11-16T00:00:00Z' AND a.answered_at < '2026-11-26T00:00:00Z'
                        GROUP BY 1, 2, 3
                    ) grouped
                )
                SELECT count(*) FROM reference r FULL JOIN features_topic_daily f
                    ON f.user_id = r.user_id AND f.topic_id = r.topic_id AND f.date = r.day
                WHERE r.user_id IS NULL OR f.user_id IS NULL
                    OR (f.attempts, f.correct, f.avg_time_ms, f.rt_median, f.hints, f.last_seen_at)
                        IS DISTINCT FROM (r.attempts::int, r.correct::int, r.avg_time, r.rt_median, r.hinted::int, r.last_seen)
                """
            )[0].decode(0)
            let spelled: Int = try connection.query(
                """
                SELECT count(*) FROM features_topic_daily
                WHERE user_id IN (\(Self.composed), \(Self.decomposed)) AND topic_id IN (\(Self.composed), \(Self.decomposed))
                """
            )[0].decode(0)
            return (rows, mismatches, spelled)
        }
        #expect(rows > 50)
        #expect(mismatches == 0)
        // Two learners × two topics × two days (the 20th on the attempt, the 21st through the item).
        #expect(spelled == 8)
        #expect(record.counts["rows_written"] == .int(Int64(rows)))
    }

    @Test func churnRiskMatchesTheKPIStage() throws {
        let harness = try Harness()
        _ = try Attempts.insert(Self.attempts(seed: 7), into: harness.database)
        _ = try harness.run(.detectInactivity, today: "2026-11-26")
        let fromInactivity = try (0..<12).map { try harness.kpis("learner\($0)", week: "2026-11-23")?.double("S") }
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-26"], today: "2026-11-26")
        let fromKPIs = try (0..<12).map { try harness.kpis("learner\($0)", week: "2026-11-23")?.double("S") }
        #expect(fromInactivity.compactMap { $0 }.count == 12)
        #expect(fromInactivity == fromKPIs)
    }
}
