import Postgres
import Storage
import UTCTime

/// Hand-built attempts for tests, written through the real ingest store.
public enum Attempts {
    /// One attempt; `at` is RFC 3339 (it must parse).
    public static func make(
        _ user: String, _ item: String, _ at: String, correct: Bool, timeMs: Int? = nil, hints: Int? = nil,
        topic: String? = nil, session: String? = nil
    ) -> AttemptRecord {
        guard let instant = Timestamp(rfc3339: at) else { fatalError("bad test timestamp \(at)") }
        return AttemptRecord(
            userID: user, itemID: item, correct: correct, answeredAt: instant, topicID: topic, sessionID: session,
            responseTimeMs: timeMs, hints: hints)
    }

    /// Writes attempts into the database and returns how many were new.
    @discardableResult
    public static func insert(_ records: [AttemptRecord], into database: TestDatabase) throws -> Int {
        try AttemptStore.insert(records, into: database.pool).inserted
    }

    /// The worked example of SPEC §4: learner `golden_u2`, topic `t1`, one session per listed instant.
    public static func goldenExample(user: String = "golden_u2") -> [AttemptRecord] {
        [
            make(user, "q201", "2026-10-20T12:00:00Z", correct: false, timeMs: 40_000, hints: 0, topic: "t1"),
            make(user, "q202", "2026-10-20T12:00:00Z", correct: true, timeMs: 60_000, hints: 2, topic: "t1"),
            make(user, "q203", "2026-10-20T12:00:00Z", correct: true, timeMs: 50_000, hints: 0, topic: "t1"),
            make(user, "q201", "2026-11-10T12:00:00Z", correct: true, timeMs: 30_000, topic: "t1"),
            make(user, "q202", "2026-11-10T12:00:00Z", correct: true, timeMs: 40_000, topic: "t1"),
            make(user, "q201", "2026-11-25T12:00:00Z", correct: false, timeMs: 20_000, hints: 1, topic: "t1"),
            make(user, "q204", "2026-11-25T12:00:00Z", correct: true, timeMs: 20_000, hints: 0, topic: "t1"),
        ]
    }
}
