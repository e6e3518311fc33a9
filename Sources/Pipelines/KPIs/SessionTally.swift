import Glibc
import UTCTime

/// Counts the sessions of selected learners in one pass over their attempts, in any order, for the engagement window
/// (28 days) and the churn window (56 days, which contains it). A session is a `session_id`, or a UTC day for
/// attempts without one; it starts at its first answer in the window.
///
/// PostgreSQL needs a sort of every attempt of the 56 days to group them by (learner, session); counting here, while
/// the attempts stream in, takes half the time. Session keys are kept exactly (their bytes, not a hash), packed per
/// learner so that millions of sessions take tens of bytes each.
struct SessionTally {
    /// Index of each selected learner in `learners`.
    private let indexes: [String: Int]
    private var learners: [LearnerSessions]
    private let shortStart: Timestamp
    /// The learner of the previous attempt: consecutive attempts are usually the same learner's.
    private var lastUser: [UInt8] = []
    private var lastIndex: Int?

    init(learners: some Sequence<String>, shortWindowStart: Timestamp) {
        var indexes: [String: Int] = [:]
        for user in learners { indexes[user] = indexes.count }
        self.indexes = indexes
        self.learners = Array(repeating: LearnerSessions(), count: indexes.count)
        shortStart = shortWindowStart
    }

    /// Adds one attempt of the churn window. Attempts of learners not selected are ignored.
    mutating func add(
        user: UnsafeRawBufferPointer, session: UnsafeRawBufferPointer?, answeredAt: Timestamp, responseTimeMs: Int64?
    ) {
        if !lastUser.withUnsafeBytes({ sameBytes($0, user) }) {
            lastUser.removeAll(keepingCapacity: true)
            lastUser.append(contentsOf: user)
            lastIndex = indexes[String(decoding: user, as: UTF8.self)]
        }
        guard let index = lastIndex else { return }
        let key: SessionKey = session.map { .id($0) } ?? .day(Int32(answeredAt.day.daysSinceEpoch))
        learners[index].add(
            key, at: answeredAt.microseconds, inShortWindow: answeredAt >= shortStart,
            responseTimeMs: responseTimeMs)
    }

    /// The engagement (28-day) and churn (56-day) summaries of every selected learner with a session.
    func summaries() -> [(user: String, engagement: SessionSummary, churn: SessionSummary)] {
        indexes.compactMap { user, index in
            let sessions = learners[index]
            guard !sessions.slots.isEmpty else { return nil }
            return (user, sessions.engagement, sessions.churn)
        }
    }
}

/// A session's key as read from an attempt: the session id's bytes, or the UTC day of an attempt without one.
enum SessionKey {
    case id(UnsafeRawBufferPointer)
    case day(Int32)

    /// FNV-1a, to rule out most candidates before comparing bytes.
    var hash: UInt32 {
        switch self {
        case .id(let bytes):
            var hash: UInt32 = 2_166_136_261
            for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            return hash
        case .day(let day): return UInt32(bitPattern: day) &* 2_654_435_761
        }
    }
}

/// One learner's sessions: their keys (`SessionKeys`) and, by key number, fixed-size slots.
struct LearnerSessions {
    struct Slot {
        var start: Int64
        /// The first answer in the engagement window, `Int64.max` without one.
        var shortStart = Int64.max
        /// The sum of the response times in the engagement window, -1 without any (an untimed session). Integers, so
        /// the sum is the same as the `Double` sum it replaces.
        var shortDurationMs: Int64 = -1
    }

    var keys = SessionKeys()
    var slots: [Slot] = []
    static let indexThreshold = SessionKeys.indexThreshold

    mutating func add(_ key: SessionKey, at time: Int64, inShortWindow: Bool, responseTimeMs: Int64?) {
        let hash = key.hash
        let slotIndex: Int
        if let found = keys.find(key, hash: hash) {
            slotIndex = found
            slots[found].start = min(slots[found].start, time)
        } else {
            slotIndex = keys.append(key, hash: hash)
            reserveSlowly(&slots, adding: 1)
            slots.append(Slot(start: time))
        }
        guard inShortWindow else { return }
        slots[slotIndex].shortStart = min(slots[slotIndex].shortStart, time)
        if let responseTimeMs {
            slots[slotIndex].shortDurationMs = max(0, slots[slotIndex].shortDurationMs) + responseTimeMs
        }
    }

    var churn: SessionSummary {
        var summary = SessionSummary(count: slots.count)
        for slot in slots {
            let start = Timestamp(microseconds: slot.start)
            summary.firstStart = min(summary.firstStart ?? start, start)
            summary.lastStart = max(summary.lastStart ?? start, start)
        }
        return summary
    }

    var engagement: SessionSummary {
        var summary = SessionSummary()
        for slot in slots where slot.shortStart != Int64.max {
            summary.add(start: slot.shortStart, durationMs: slot.shortDurationMs)
        }
        return summary
    }
}

/// Byte equality through `memcmp` (the generic `elementsEqual` walks byte by byte through an iterator).
@inline(__always) func sameBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    // Both base addresses are non-nil when `memcmp` runs: both buffers hold the same `count > 0` bytes.
    return lhs.count == 0 || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0
}
