import UTCTime

/// One learner's sessions for `KPITally`, which reads the churn window in two halves, the earlier one first. The
/// earlier half's sessions need only their starts, and only until that half ends: then they are folded into a count
/// and the first and last start, and just their keys stay, to tell a session that goes on into the recent half
/// (whose start is then in the earlier half) from one that starts there. The recent half's sessions keep what the
/// engagement window needs: their first answer and summed response times.
///
/// The summaries equal `LearnerSessions`' over the same attempts, which keeps every field for every session (about
/// 56 bytes a session rather than 32 for an earlier one and 48 for a recent one).
struct KPISessions {
    struct RecentSlot {
        /// The first answer in the recent half.
        var start: Int64
        /// The sum of the response times, -1 without any (an untimed session).
        var durationMs: Int64 = -1
    }

    private var earlierKeys = SessionKeys()
    /// The earlier half's session starts, by key number, until `foldEarlier`.
    private var earlierStarts: [Int64] = []
    private var earlierCount = 0
    private var earlierFirst = Int64.max
    private var earlierLast = Int64.min
    private var recentKeys = SessionKeys()
    private var recent: [RecentSlot] = []

    /// Whether the learner has any session.
    var isEmpty: Bool { earlierKeys.count == 0 && recent.isEmpty }

    /// Adds an attempt of the earlier half.
    mutating func addEarlier(_ key: SessionKey, at time: Int64) {
        let hash = key.hash
        if let found = earlierKeys.find(key, hash: hash) {
            earlierStarts[found] = min(earlierStarts[found], time)
        } else {
            _ = earlierKeys.append(key, hash: hash)
            reserveSlowly(&earlierStarts, adding: 1)
            earlierStarts.append(time)
        }
    }

    /// Ends the earlier half: its sessions' count and first and last starts replace their starts.
    mutating func foldEarlier() {
        earlierCount = earlierStarts.count
        for start in earlierStarts {
            earlierFirst = min(earlierFirst, start)
            earlierLast = max(earlierLast, start)
        }
        earlierStarts = []
    }

    /// Adds an attempt of the recent half (after `foldEarlier`).
    mutating func addRecent(_ key: SessionKey, at time: Int64, responseTimeMs: Int64?) {
        let hash = key.hash
        let slot: Int
        if let found = recentKeys.find(key, hash: hash) {
            slot = found
            recent[found].start = min(recent[found].start, time)
        } else {
            slot = recentKeys.append(key, hash: hash)
            reserveSlowly(&recent, adding: 1)
            recent.append(RecentSlot(start: time))
        }
        if let responseTimeMs { recent[slot].durationMs = max(0, recent[slot].durationMs) + responseTimeMs }
    }

    /// The engagement window's sessions: the recent half's.
    var engagement: SessionSummary {
        var summary = SessionSummary()
        for slot in recent { summary.add(start: slot.start, durationMs: slot.durationMs) }
        return summary
    }

    /// The churn window's sessions: the earlier half's, and the recent half's that do not go on from it (a session
    /// that does starts in the earlier half, where it is counted already).
    var churn: SessionSummary {
        var count = earlierCount
        var first = earlierFirst
        var last = earlierLast
        for (position, slot) in recent.enumerated() where !earlierKeys.contains(position, of: recentKeys) {
            count += 1
            first = min(first, slot.start)
            last = max(last, slot.start)
        }
        guard count > 0 else { return SessionSummary() }
        return SessionSummary(
            count: count, firstStart: Timestamp(microseconds: first), lastStart: Timestamp(microseconds: last))
    }
}
