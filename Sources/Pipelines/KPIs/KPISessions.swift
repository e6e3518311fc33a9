import UTCTime

/// One learner's sessions for `KPITally`, which reads the churn window in two halves, the earlier one first. The
/// earlier half's sessions need only their starts, and only until that half ends: then they are folded into a count
/// and the first and last start, and just their keys stay, to tell a session that goes on into the recent half
/// (whose start is then in the earlier half) from one that starts there. Day sessions (attempts without a session
/// id) cannot go on: the halves meet at midnight UTC, so the folded keys leave them out. The recent half's sessions
/// keep what the engagement window needs: their first answer and summed response times.
///
/// Each half's keys and values are one `SessionRecords` (one allocation); the folded keys are copied into one of
/// exactly their size. The summaries equal `LearnerSessions`' over the same attempts, which keeps every field for
/// every session.

struct KPISessions {
    struct RecentSlot: BitwiseCopyable {
        /// The first answer in the recent half.
        var start: Int64
        /// The sum of the response times, -1 without any (an untimed session).
        var durationMs: Int64 = -1
    }

    /// The earlier half's sessions with their starts, until `foldEarlier`.
    private var earlier = SessionRecords<Int64>()
    /// The earlier half's session ids, from `foldEarlier` on.
    private var earlierKeys = SessionRecords<NoValue>()
    private var earlierCount = 0
    private var earlierFirst = Int64.max
    private var earlierLast = Int64.min
    private var recent = SessionRecords<RecentSlot>()

    /// Whether the learner has any session.
    var isEmpty: Bool { earlier.count == 0 && earlierCount == 0 && recent.count == 0 }

    /// Adds an attempt of the earlier half.
    mutating func addEarlier(_ key: SessionKey, at time: Int64) {
        let hash = key.hash
        if let found = earlier.find(key, hash: hash) {
            let start = earlier.value(at: found)
            if time < start { earlier.setValue(time, at: found) }
        } else {
            earlier.append(key, hash: hash, value: time)
        }
    }

    /// Ends the earlier half: its sessions' count and first and last starts replace their starts, and the ids of
    /// its sessions are kept in a store of their exact size.
    mutating func foldEarlier() {
        var keyBytes = 0
        var ids = 0
        var count = 0
        var first = Int64.max
        var last = Int64.min
        earlier.forEachRecord { record, start in
            count += 1
            first = min(first, start)
            last = max(last, start)
            if let id = record.id {
                keyBytes += id.count
                ids += 1
            }
        }
        var keys = SessionRecords<NoValue>()
        keys.reserve(keyBytes: keyBytes, records: ids)
        earlier.forEachRecord { record, _ in
            if record.id != nil { keys.append(record.key, hash: record.hash, value: NoValue()) }
        }
        earlierKeys = keys
        earlier = SessionRecords()
        earlierCount = count
        earlierFirst = first
        earlierLast = last
    }

    /// Adds an attempt of the recent half (after `foldEarlier`).
    mutating func addRecent(_ key: SessionKey, at time: Int64, responseTimeMs: Int64?) {
        let hash = key.hash
        let offset: Int
        var slot: RecentSlot
        if let found = recent.find(key, hash: hash) {
            offset = found
            slot = recent.value(at: found)
            slot.start = min(slot.start, time)
        } else {
            slot = RecentSlot(start: time)
            offset = recent.append(key, hash: hash, value: slot)
        }
        if let responseTimeMs { slot.durationMs = max(0, slot.durationMs) + responseTimeMs }
        recent.setValue(slot, at: offset)
    }

    /// The engagement window's sessions: the recent half's.
    var engagement: SessionSummary {
        var summary = SessionSummary()
        recent.forEachRecord { _, slot in summary.add(start: slot.start, durationMs: slot.durationMs) }
        return summary
    }

    /// The churn window's sessions: the earlier half's, and the recent half's that do not go on from it (a session
    /// that does starts in the earlier half, where it is counted already).
    var churn: SessionSummary {
        var count = earlierCount
        var first = earlierFirst
        var last = earlierLast
        recent.forEachRecord { record, slot in
            if record.id != nil, earlierKeys.find(record.key, hash: record.hash) != nil { return }
            count += 1
            first = min(first, slot.start)
            last = max(last, slot.start)
        }
        guard count > 0 else { return SessionSummary() }
        return SessionSummary(
            count: count, firstStart: Timestamp(microseconds: first), lastStart: Timestamp(microseconds: last))
    }
}
