import Postgres
import UTCTime

/// One attempt as `KPIQueries.attempts` streams it: `user_id, item_id, topic_id, session_id, correct,
/// response_time_ms, hints, answered_at`. The byte fields point into the COPY buffer, valid during the callback only.
struct KPITallyRow {
    var user: UnsafeRawBufferPointer
    var item: UnsafeRawBufferPointer
    var topic: UnsafeRawBufferPointer?
    var session: UnsafeRawBufferPointer?
    var correct: Bool
    var responseTimeMs: Int64?
    var hints: Int64?
    var answeredAt: Timestamp

    init(_ row: CopyOutRow) throws {
        guard let user = try row.bytes(0), let item = try row.bytes(1), let correct = try row.boolean(4),
            let answeredAt = try row.timestamp(7)
        else { throw PostgresError(.decoding, message: "an attempt without learner, item, outcome or time") }
        self.user = user
        self.item = item
        topic = try row.bytes(2)
        session = try row.bytes(3)
        self.correct = correct
        responseTimeMs = try row.integer(5)
        hints = try row.integer(6)
        self.answeredAt = answeredAt
    }
}

/// A learner's (item, topic) key for recovery; topic `UInt32.max` is NULL (NULL matches NULL, as
/// `IS NOT DISTINCT FROM`).
struct RecoveryKey: Hashable {
    var learner: Int32
    var item: UInt32
    var topic: UInt32
}

/// A learner's running counts in `KPITally`.
struct LearnerCounts {
    var recentAttempts = 0
    var recentCorrect = 0
    var previousAttempts = 0
    var previousCorrect = 0
    var recoveryAttempts = 0
    var recoveryCorrect = 0
    var hintSum: Double = 0
    var hintCount = 0
    /// Microseconds of the last answer, `Int64.min` before any.
    var lastAnswer = Int64.min
    var recentMedian: Double?
    var previousMedian: Double?
    /// The engagement and churn sessions, from the end of the recent half; nil without any session.
    var sessions: (engagement: SessionSummary, churn: SessionSummary)?
    /// Whether the learner has an attempt in `W(as_of, lookback_days)` (and is in the run's `user_ids`, if any).
    var selected = false
}
