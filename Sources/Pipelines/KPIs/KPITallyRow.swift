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

/// A learner's running counts in `KPITally`: one for every learner seen, all alive at the stage's peak, so they are
/// kept small (128 bytes rather than 232 with `Int` counts, optional medians and optional `SessionSummary`s).
struct LearnerCounts {
    var recentAttempts: Int32 = 0
    var recentCorrect: Int32 = 0
    var previousAttempts: Int32 = 0
    var previousCorrect: Int32 = 0
    var recoveryAttempts: Int32 = 0
    var recoveryCorrect: Int32 = 0
    var hintCount: Int32 = 0
    /// Whether the learner has an attempt in `W(as_of, lookback_days)` (and is in the run's `user_ids`, if any).
    var selected = false
    var hintSum: Double = 0
    /// Microseconds of the last answer, `Int64.min` before any.
    var lastAnswer = Int64.min
    /// The medians of the correct answers' response times, NaN without any (a median of integers never is NaN).
    var recentMedian = Double.nan
    var previousMedian = Double.nan
    /// The engagement and churn sessions, from the end of the recent half.
    var engagement = PackedSessionSummary()
    var churn = PackedSessionSummary()
}

/// A `SessionSummary` in 32 bytes rather than 56: the starts without their optionals (a summary without sessions
/// has none).
struct PackedSessionSummary {
    var count: Int32 = 0
    var timedSessions: Int32 = 0
    var firstStart: Int64 = 0
    var lastStart: Int64 = 0
    var totalDurationMs: Double = 0

    init() {}

    init(_ summary: SessionSummary) {
        count = Int32(summary.count)
        timedSessions = Int32(summary.timedSessions)
        firstStart = summary.firstStart?.microseconds ?? 0
        lastStart = summary.lastStart?.microseconds ?? 0
        totalDurationMs = summary.totalDurationMs
    }

    var summary: SessionSummary {
        guard count > 0 else {
            return SessionSummary(timedSessions: Int(timedSessions), totalDurationMs: totalDurationMs)
        }
        return SessionSummary(
            count: Int(count), firstStart: Timestamp(microseconds: firstStart),
            lastStart: Timestamp(microseconds: lastStart), timedSessions: Int(timedSessions),
            totalDurationMs: totalDurationMs)
    }
}
