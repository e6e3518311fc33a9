import IRT
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

@testable import Pipelines

/// The session counting of the KPI stages: unit cases on the key store, and a differential check against the
/// plain SQL definition (GROUP BY learner, session) on random attempts in a real database.
@Suite(.ownThreads) struct SessionTallyTests {
    /// Adds an attempt with a session id (or a day session) to a learner's store.
    func add(_ sessions: inout LearnerSessions, _ id: String?, _ time: Int64, short: Bool = true, ms: Int64? = nil) {
        var bytes = Array((id ?? "").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            let key: SessionKey =
                id == nil
                ? .day(Int32(Timestamp(microseconds: time).day.daysSinceEpoch)) : .id(UnsafeRawBufferPointer(buffer))
            sessions.add(key, at: time, inShortWindow: short, responseTimeMs: ms)
        }
    }

    @Test func keysThatShareAHashStayApart() throws {
        // "costarring" and "liquid" collide under 32-bit FNV-1a.
        let hashes = ["costarring", "liquid"].map { id in
            Array(id.utf8).withUnsafeBytes { SessionKey.id($0).hash }
        }
        try #require(hashes[0] == hashes[1])
        var sessions = LearnerSessions()
        add(&sessions, "costarring", 100)
        add(&sessions, "liquid", 50)
        add(&sessions, "costarring", 10)
        #expect(sessions.churn.count == 2)
        #expect(sessions.churn.firstStart == Timestamp(microseconds: 10))
        #expect(sessions.churn.lastStart == Timestamp(microseconds: 50))
        // Past the index threshold, the clash is still resolved.
        for number in 0..<LearnerSessions.indexThreshold { add(&sessions, "s\(number)", 1000 + Int64(number)) }
        add(&sessions, "liquid", 5)
        add(&sessions, "costarring", 7)
        #expect(sessions.keys.index != nil)
        #expect(sessions.churn.count == 2 + LearnerSessions.indexThreshold)
        #expect(sessions.churn.firstStart == Timestamp(microseconds: 5))
        #expect(sessions.churn.lastStart == Timestamp(microseconds: 999 + Int64(LearnerSessions.indexThreshold)))
    }

    /// `KPISessions` (the earlier half folded at its end) against `LearnerSessions` (every session kept whole) on
    /// random attempts, with sessions that go on from the earlier half into the recent one.
    @Test func foldedHalvesMatchWholeSessions() {
        var random = SeededGenerator(seed: 16)
        let day = Timestamp.microsecondsPerDay
        for _ in 0..<200 {
            let attempts = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                (
                    id: ["a", "b", "costarring", "liquid", nil].randomElement(using: &random)!,
                    time: Int64.random(in: 0..<(4 * day), using: &random),
                    ms: Bool.random(using: &random) ? Int64.random(in: 0...9, using: &random) * 1000 : nil
                )
            }
            // The recent half starts at day 2; the earlier half's attempts all come first, each half in any order.
            let ordered = attempts.filter { $0.time < 2 * day }.shuffled() + attempts.filter { $0.time >= 2 * day }
            let (whole, halves) = replay(ordered)
            #expect(halves.isEmpty == whole.slots.isEmpty)
            #expect(halves.churn == whole.churn)
            #expect(halves.engagement == whole.engagement)
        }
    }

    /// `KPISessions` with hundreds of sessions a half (past `SessionRecords.indexThreshold`, where an index replaces
    /// the scan), ids of many lengths and day sessions, against `LearnerSessions`.
    @Test func manySessionsMatchWholeSessions() {
        var random = SeededGenerator(seed: 17)
        let day = Timestamp.microsecondsPerDay
        let ids = (0..<900).map { number in
            number % 7 == 0 ? nil : String(repeating: "x", count: number % 40) + "s\(number)"
        }
        let attempts = (0..<5000).map { _ in
            (
                id: ids.randomElement(using: &random)!, time: Int64.random(in: 0..<(4 * day), using: &random),
                ms: Bool.random(using: &random) ? Int64.random(in: 0...9, using: &random) * 1000 : nil
            )
        }
        let ordered = attempts.filter { $0.time < 2 * day } + attempts.filter { $0.time >= 2 * day }
        let (whole, halves) = replay(ordered)
        #expect(halves.churn == whole.churn)
        #expect(halves.engagement == whole.engagement)
    }

    /// Replays attempts (the earlier half, before day 2, first) into whole sessions and into `KPISessions`' two
    /// halves, folding the earlier half at the first recent attempt (or at the end).
    func replay(_ ordered: [(id: String?, time: Int64, ms: Int64?)]) -> (LearnerSessions, KPISessions) {
        let day = Timestamp.microsecondsPerDay
        var whole = LearnerSessions()
        var halves = KPISessions()
        var folded = false
        for attempt in ordered {
            let recent = attempt.time >= 2 * day
            if recent, !folded {
                halves.foldEarlier()
                folded = true
            }
            add(&whole, attempt.id, attempt.time, short: recent, ms: attempt.ms)
            var bytes = Array((attempt.id ?? "").utf8)
            bytes.withUnsafeMutableBytes { buffer in
                let key: SessionKey =
                    attempt.id == nil
                    ? .day(Int32(Timestamp(microseconds: attempt.time).day.daysSinceEpoch))
                    : .id(UnsafeRawBufferPointer(buffer))
                if recent {
                    halves.addRecent(key, at: attempt.time, responseTimeMs: attempt.ms)
                } else {
                    halves.addEarlier(key, at: attempt.time)
                }
            }
        }
        if !folded { halves.foldEarlier() }
        return (whole, halves)
    }

    @Test func engagementCountsOnlyTheShortWindow() {
        var sessions = LearnerSessions()
        // A session that began before the short window starts, for engagement, at its first answer inside it.
        add(&sessions, "a", 10, short: false, ms: 500)
        add(&sessions, "a", 30, short: true, ms: 700)
        add(&sessions, "b", 40, short: true)
        add(&sessions, nil, 20, short: false, ms: 100)
        let engagement = sessions.engagement
        #expect(engagement.count == 2)
        #expect(engagement.firstStart == Timestamp(microseconds: 30))
        #expect(engagement.lastStart == Timestamp(microseconds: 40))
        #expect(engagement.timedSessions == 1)
        #expect(engagement.totalDurationMs == 700)
        #expect(sessions.churn.count == 3)
    }

    @Test(arguments: [false, true]) func matchesTheSQLDefinition(joinSelection: Bool) throws {
        let database = try TestDatabase.create()
        let asOf = Day(iso: "2026-11-29")!
        let windows = KPIWindows(asOf: asOf)
        var random = SeededGenerator(seed: joinSelection ? 2 : 1)
        var records: [AttemptRecord] = []
        let users = (0..<12).map { $0 == 0 ? "lérner-ü\($0)" : "learner-\($0)" }
        for user in users {
            // Hundreds of sessions for one learner (the indexed path), a few for others; ids reused across days.
            let heavy = user == "learner-1"
            let sessionCount = heavy ? 600 : Int.random(in: 1...80, using: &random)
            for number in 0..<(heavy ? 2000 : Int.random(in: 20...300, using: &random)) {
                let day = Int.random(in: -60...1, using: &random)
                let second = Int64.random(in: 0..<86_400, using: &random)
                let instant = Timestamp(
                    microseconds: Int64(asOf.daysSinceEpoch + day) * Timestamp.microsecondsPerDay + second * 1_000_000
                        + Int64(number))
                let session =
                    Int.random(in: 0..<10, using: &random) == 0
                    ? nil : "s\(Int.random(in: 0..<sessionCount, using: &random))"
                records.append(
                    AttemptRecord(
                        userID: user, itemID: "q\(number)", correct: Bool.random(using: &random), answeredAt: instant,
                        topicID: nil, sessionID: session,
                        responseTimeMs: Bool.random(using: &random) ? Int.random(in: 0...90_000, using: &random) : nil,
                        hints: nil))
            }
        }
        // Edges: answers at the first and last microsecond of the 28- and 56-day windows.
        for instant in [windows.churn56.start, windows.recent28.start, windows.end.adding(microseconds: -1)] {
            records.append(
                AttemptRecord(
                    userID: "learner-1", itemID: "edge", correct: true, answeredAt: instant, topicID: nil,
                    sessionID: "edge", responseTimeMs: 1000, hints: nil))
        }
        try Attempts.insert(records, into: database)
        let selected = Array(users.prefix(9))
        try database.pool.withTransaction { connection in
            try connection.execute("CREATE TEMP TABLE run_learners (user_id text COLLATE \"C\" PRIMARY KEY)")
            try connection.query("INSERT INTO run_learners SELECT unnest(\(selected)::text[])")
            var aggregates = Dictionary(uniqueKeysWithValues: selected.map { ($0, LearnerAggregates()) })
            try KPIQueries.sessions(connection, windows, joinSelection: joinSelection, into: &aggregates)
            let expected = try reference(connection, windows)
            #expect(aggregates.count == selected.count)
            for user in selected {
                let (engagement, churn) = expected[user] ?? (SessionSummary(), SessionSummary())
                #expect(aggregates[user]?.engagement == engagement, "\(user)")
                #expect(aggregates[user]?.churn == churn, "\(user)")
            }
        }
    }

    /// The session summaries by the SQL definition: sessions grouped by (learner, session id or UTC day).
    func reference(_ connection: PostgresConnection, _ w: KPIWindows) throws
        -> [String: (SessionSummary, SessionSummary)]
    {
        var summaries: [String: (SessionSummary, SessionSummary)] = [:]
        let rows = try connection.query(
            """
            WITH sessions AS (
                SELECT a.user_id,
                    min(a.answered_at) AS start_long,
                    min(a.answered_at) FILTER (WHERE a.answered_at >= \(w.recent28.start)) AS start_short,
                    sum(a.response_time_ms::float8) FILTER (WHERE a.answered_at >= \(w.recent28.start)) AS duration_short
                FROM attempts a JOIN run_learners l ON l.user_id = a.user_id
                WHERE a.answered_at >= \(w.churn56.start) AND a.answered_at < \(w.end)
                GROUP BY a.user_id, a.session_id,
                    CASE WHEN a.session_id IS NULL THEN (a.answered_at AT TIME ZONE 'UTC')::date END
            )
            SELECT user_id, count(start_short), min(start_short), max(start_short), count(duration_short),
                coalesce(sum(duration_short), 0), count(*), min(start_long), max(start_long)
            FROM sessions GROUP BY user_id
            """)
        for row in rows.rows {
            summaries[try row.decode(0)] = (
                SessionSummary(
                    count: try row.decode(1), firstStart: try row.decode(2), lastStart: try row.decode(3),
                    timedSessions: try row.decode(4), totalDurationMs: try row.decode(5)),
                SessionSummary(count: try row.decode(6), firstStart: try row.decode(7), lastStart: try row.decode(8))
            )
        }
        return summaries
    }
}
