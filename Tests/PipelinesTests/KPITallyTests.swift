import IRT
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

@testable import Pipelines

/// The one-pass KPI aggregates (`KPITally`) against their plain SQL definition (GROUP BY learner with FILTERs,
/// `percentile_cont`, the recovery join) on random attempts in a real database.
@Suite(.ownThreads) struct KPITallyTests {
    @Test func medianInterpolatesAsPostgreSQL() {
        func median(_ values: [Int32]) -> Double {
            let packed = values.sorted().map { UInt64(UInt32(bitPattern: $0) ^ 0x8000_0000) }
            return packed.withUnsafeBufferPointer { KPITally.median($0[...]) }
        }
        #expect(median([7]) == 7)
        #expect(median([1, 4]) == 2.5)
        #expect(median([5, 1, 3]) == 3)
        #expect(median([0, 10, 20, 31]) == 15)
    }

    /// The packed set of wrongly answered keys against `Set`, with NULL topics, and keys too large to pack (which
    /// move every key to a `Set`).
    @Test(arguments: [false, true]) func recoveryKeySetMatchesASet(widens: Bool) {
        var random = SeededGenerator(seed: widens ? 2 : 1)
        var packed = RecoveryKeySet()
        var reference = Set<RecoveryKey>()
        func randomKey() -> RecoveryKey {
            RecoveryKey(
                learner: Int32.random(in: 0..<3000, using: &random), item: UInt32.random(in: 0..<50, using: &random),
                topic: Bool.random(using: &random) ? UInt32.max : UInt32.random(in: 0..<5, using: &random))
        }
        for number in 0..<20000 {
            var key = randomKey()
            if widens, number == 10000 { key.learner = 1 << 24 }
            packed.insert(key)
            reference.insert(key)
        }
        #expect(packed.count == reference.count)
        for _ in 0..<20000 {
            let key = randomKey()
            #expect(packed.contains(key) == reference.contains(key))
        }
        #expect(packed.contains(RecoveryKey(learner: 1 << 24, item: 0, topic: 0)) == false)
    }

    @Test func inPlaceSortMatchesSorted() {
        var random = SeededGenerator(seed: 3)
        for count in [0, 1, 2, 17, 100, 5000] {
            let values = (0..<count).map { _ in UInt64.random(in: 0..<UInt64(max(count / 3, 1)), using: &random) }
            let inputs: [[UInt64]] = [
                values, values.sorted(), values.sorted().reversed(), Array(repeating: 7, count: count),
            ]
            for input in inputs {
                var sorted = input
                InPlaceSort.sort(&sorted)
                #expect(sorted == input.sorted())
                // The heapsort fallback: at once (depth 0), and below one and two quicksort partitions.
                for depthLimit in 0...2 {
                    var heapsorted = input
                    InPlaceSort.sort(&heapsorted, depthLimit: depthLimit)
                    #expect(heapsorted == input.sorted(), "depth limit \(depthLimit), \(count) values")
                }
            }
        }
    }

    @Test(arguments: [(30, false), (30, true), (70, false)]) func matchesTheSQLDefinition(
        lookbackDays: Int, selectSome: Bool
    ) throws {
        let database = try TestDatabase.create()
        let asOf = Day(iso: "2026-11-29")!
        let windows = KPIWindows(asOf: asOf)
        // Seeded per case, so that a failure can be replayed.
        var random = SeededGenerator(seed: UInt64(lookbackDays * 2 + (selectSome ? 1 : 0)))
        var records: [AttemptRecord] = []
        let users = (0..<14).map { $0 == 0 ? "lérner-ü\($0)" : "learner-\($0)" }
        // Few items and topics, so that keys answered wrongly come back; long ids take the allocating path.
        let items = ["q1", "q2", "q3", "q4", "an-item-id-longer-than-sixteen-bytes"]
        let topics: [String?] = [nil, "t1", "t2", "topic-id-longer-than-sixteen-bytes"]
        for user in users {
            for number in 0..<Int.random(in: 0...250, using: &random) {
                let day = Int.random(in: -80...1, using: &random)
                let second = Int64.random(in: 0..<86_400, using: &random)
                let instant = Timestamp(
                    microseconds: Int64(asOf.daysSinceEpoch + day) * Timestamp.microsecondsPerDay + second * 1_000_000
                        + Int64(number))
                records.append(
                    AttemptRecord(
                        userID: user, itemID: items.randomElement(using: &random)!,
                        correct: Bool.random(using: &random),
                        answeredAt: instant, topicID: topics.randomElement(using: &random)!,
                        sessionID: Int.random(in: 0..<4, using: &random) == 0
                            ? nil : "s\(Int.random(in: 0..<20, using: &random))",
                        responseTimeMs: Int.random(in: 0..<4, using: &random) == 0
                            ? nil : Int.random(in: 0...9, using: &random) * 1000,
                        hints: Bool.random(using: &random) ? Int.random(in: 0...3, using: &random) : nil))
            }
        }
        // Edges: answers at the first and last microsecond of the windows.
        for instant in [
            windows.churn56.start, windows.recent28.start, windows.recent14.start, windows.previous14.start,
            windows.end.adding(microseconds: -1), windows.end,
        ] {
            records.append(
                AttemptRecord(
                    userID: "learner-1", itemID: "edge", correct: false, answeredAt: instant, topicID: nil,
                    sessionID: "edge", responseTimeMs: 1000, hints: 1))
        }
        try Attempts.insert(records, into: database)
        let userIDs = selectSome ? Array(users.prefix(9)) : nil
        try database.pool.withTransaction { connection in
            var tally = KPITally(windows: windows, lookbackDays: lookbackDays, userIDs: userIDs)
            try KPIQueries.attempts(connection, from: windows.earliest, to: windows.recent28.start, userIDs: userIDs) {
                try tally.add($0, half: .previous)
            }
            tally.endHalf(.previous)
            try KPIQueries.attempts(connection, from: windows.recent28.start, to: windows.end, userIDs: userIDs) {
                try tally.add($0, half: .recent)
            }
            tally.endHalf(.recent)
            let selectionStart = TimeWindow(endingOn: asOf, days: lookbackDays).start
            if selectionStart < windows.earliest {
                try KPIQueries.learners(connection, from: selectionStart, to: windows.earliest) { tally.select($0) }
            }
            let aggregates = tally.aggregates()
            try LearnerSelection.create(
                connection, activeIn: TimeWindow(endingOn: asOf, days: lookbackDays), userIDs: userIDs)
            let expected = try reference(connection, windows)
            #expect(Set(aggregates.keys) == Set(expected.keys))
            // Sessions as `SessionTally` counts them in one pass over both halves (SessionTallyTests compares it with
            // SQL); the session ids repeat across the halves, so sessions that go on from one to the other occur.
            var sessions = aggregates.mapValues { _ in LearnerAggregates() }
            try KPIQueries.sessions(connection, windows, joinSelection: true, into: &sessions)
            for (user, value) in expected {
                var actual = aggregates[user]
                #expect(actual?.engagement == sessions[user]?.engagement, "\(user)")
                #expect(actual?.churn == sessions[user]?.churn, "\(user)")
                actual?.engagement = SessionSummary()
                actual?.churn = SessionSummary()
                #expect(actual == value, "\(user)")
            }
        }
    }

    /// The aggregates of the learners in `run_learners` by the SQL definition (sessions left out).
    func reference(_ connection: PostgresConnection, _ w: KPIWindows) throws -> [String: LearnerAggregates] {
        var aggregates: [String: LearnerAggregates] = [:]
        let (end, recent14, previous14) = (w.end, w.recent14.start, w.previous14.start)
        let (recent28, previous28) = (w.recent28.start, w.previous28.start)
        for row in try connection.query(
            """
            SELECT l.user_id,
                count(*) FILTER (WHERE a.answered_at >= \(recent14)),
                count(*) FILTER (WHERE a.answered_at >= \(recent14) AND a.correct),
                count(*) FILTER (WHERE a.answered_at >= \(previous14) AND a.answered_at < \(recent14)),
                count(*) FILTER (WHERE a.answered_at >= \(previous14) AND a.answered_at < \(recent14) AND a.correct),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms)
                    FILTER (WHERE a.answered_at >= \(recent28) AND a.correct),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms)
                    FILTER (WHERE a.answered_at >= \(previous28) AND a.answered_at < \(recent28) AND a.correct),
                avg(a.hints::float8) FILTER (WHERE a.answered_at >= \(recent28)),
                max(a.answered_at)
            FROM run_learners l
            LEFT JOIN attempts a ON a.user_id = l.user_id AND a.answered_at >= \(previous28) AND a.answered_at < \(end)
            GROUP BY l.user_id
            """
        ).rows {
            var value = LearnerAggregates()
            value.recentAttempts = try row.decode(1)
            value.recentCorrect = try row.decode(2)
            value.previousAttempts = try row.decode(3)
            value.previousCorrect = try row.decode(4)
            value.recentMedianTime = try row.decode(5)
            value.previousMedianTime = try row.decode(6)
            value.meanHints = try row.decode(7)
            value.lastAnswer = try row.decode(8)
            aggregates[try row.decode(0, as: String.self)] = value
        }
        for row in try connection.query(
            """
            WITH wrong AS (
                SELECT DISTINCT a.user_id, a.item_id, a.topic_id
                FROM attempts a JOIN run_learners l ON l.user_id = a.user_id
                WHERE a.answered_at >= \(previous28) AND a.answered_at < \(recent28) AND NOT a.correct
            )
            SELECT a.user_id, count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a
            JOIN wrong w
                ON w.user_id = a.user_id AND w.item_id = a.item_id AND w.topic_id IS NOT DISTINCT FROM a.topic_id
            WHERE a.answered_at >= \(recent28) AND a.answered_at < \(end)
            GROUP BY a.user_id
            """
        ).rows {
            let user: String = try row.decode(0)
            aggregates[user]?.recoveryAttempts = try row.decode(1)
            aggregates[user]?.recoveryCorrect = try row.decode(2)
        }
        return aggregates
    }
}
