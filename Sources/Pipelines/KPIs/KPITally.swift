import UTCTime

/// Every per-learner aggregate of the KPIs (SPEC §4) from one pass over the attempts of `W(as_of, 56)`, read in two
/// halves: the 28 days before `W(as_of, 28)` first (`Half.previous`), then `W(as_of, 28)` (`Half.recent`). With the
/// earlier half read first, the (item, topic) keys a learner answered wrongly are all known when the recent attempts
/// arrive, so recovery is counted on the fly and no attempt is kept. Only the medians need values: the response
/// times of the current half's correct answers, one packed `UInt64` each, reduced to a median per learner at the end
/// of the half. Sessions are counted by `KPISessions`, which folds the earlier half's at its end.
///
/// The values equal those of the former SQL (`count … FILTER`, `percentile_cont(0.5)`, `avg(hints::float8)`, `max`):
/// the medians interpolate as PostgreSQL does and the hint sums are exact (integers in a `Double`).
struct KPITally {
    enum Half { case previous, recent }

    let windows: KPIWindows
    /// The start of `W(as_of, lookback_days)`: a learner is selected by an attempt at or after it.
    private let selectionStart: Timestamp
    /// Learners seen, by id: their index in the arrays below, or -1 for a learner outside `userIDs`.
    private var indexes: [String: Int32] = [:]
    private var allowed: Set<String>?
    private var users: [String] = []
    private var counts: [LearnerCounts] = []
    private var sessions: [KPISessions] = []
    /// Item and topic ids as small numbers, for the recovery keys.
    private var items = IDInterner()
    private var topics = IDInterner()
    /// (learner, item, topic) answered wrongly in the previous half.
    private var wrongKeys = RecoveryKeySet()
    /// The current half's response times of correct answers: learner index in the high half, the time (sign flipped
    /// so that unsigned order is numeric order) in the low half; sorted, each learner's run is in time order.
    private var times: [UInt64] = []
    /// The learner of the previous attempt: consecutive attempts are often the same learner's.
    private var lastUser: [UInt8] = []
    private var lastIndex: Int32 = -1

    init(windows: KPIWindows, lookbackDays: Int, userIDs: [String]?) {
        self.windows = windows
        selectionStart = TimeWindow(endingOn: windows.asOf, days: lookbackDays).start
        allowed = userIDs.map(Set.init)
    }

    /// Adds one attempt of `half`: columns as `KPIQueries.attempts` reads them.
    mutating func add(_ row: KPITallyRow, half: Half) throws {
        let index = learnerIndex(row.user)
        guard index >= 0 else { return }
        let learner = Int(index)
        let time = row.answeredAt
        if time >= selectionStart { counts[learner].selected = true }
        counts[learner].lastAnswer = max(counts[learner].lastAnswer, time.microseconds)
        let key: SessionKey = row.session.map { .id($0) } ?? .day(Int32(time.day.daysSinceEpoch))
        switch half {
        case .previous: sessions[learner].addEarlier(key, at: time.microseconds)
        case .recent: sessions[learner].addRecent(key, at: time.microseconds, responseTimeMs: row.responseTimeMs)
        }
        if row.correct, let milliseconds = row.responseTimeMs {
            let bits = UInt32(bitPattern: Int32(truncatingIfNeeded: milliseconds)) ^ 0x8000_0000
            reserveSlowly(&times, adding: 1)
            times.append(UInt64(UInt32(index)) << 32 | UInt64(bits))
        }
        let recoveryKey = RecoveryKey(
            learner: index, item: UInt32(bitPattern: items.index(of: row.item)),
            topic: row.topic.map { UInt32(bitPattern: topics.index(of: $0)) } ?? UInt32.max)
        let recent14 = time >= windows.recent14.start
        let previous14 = !recent14 && time >= windows.previous14.start
        switch half {
        case .previous:
            if !row.correct { wrongKeys.insert(recoveryKey) }
        case .recent:
            if let hints = row.hints {
                counts[learner].hintSum += Double(hints)
                counts[learner].hintCount += 1
            }
            if wrongKeys.contains(recoveryKey) {
                counts[learner].recoveryAttempts += 1
                if row.correct { counts[learner].recoveryCorrect += 1 }
            }
        }
        if recent14 {
            counts[learner].recentAttempts += 1
            if row.correct { counts[learner].recentCorrect += 1 }
        } else if previous14 {
            counts[learner].previousAttempts += 1
            if row.correct { counts[learner].previousCorrect += 1 }
        }
    }

    /// Marks a learner with an attempt in the selection window before the pass's windows (`lookback_days` > 56).
    mutating func select(_ user: UnsafeRawBufferPointer) {
        let index = learnerIndex(user)
        if index >= 0 { counts[Int(index)].selected = true }
    }

    /// Ends a half: the medians of its correct response times; the earlier half's sessions are folded (see
    /// `KPISessions`). The recent half's end replaces the session stores by each learner's summaries, so that they
    /// are freed before `aggregates()` builds its result (about 50 MB for 100,000 learners).
    mutating func endHalf(_ half: Half) {
        InPlaceSort.sort(&times)
        times.withUnsafeBufferPointer { times in
            var start = 0
            while start < times.count {
                let learner = Int(times[start] >> 32)
                var end = start + 1
                while end < times.count, times[end] >> 32 == UInt64(learner) { end += 1 }
                let median = Self.median(times[start..<end])
                switch half {
                case .previous: counts[learner].previousMedian = median
                case .recent: counts[learner].recentMedian = median
                }
                start = end
            }
        }
        times = []
        switch half {
        case .previous: for learner in sessions.indices { sessions[learner].foldEarlier() }
        case .recent:
            wrongKeys = RecoveryKeySet()
            for learner in sessions.indices where !sessions[learner].isEmpty {
                counts[learner].engagement = PackedSessionSummary(sessions[learner].engagement)
                counts[learner].churn = PackedSessionSummary(sessions[learner].churn)
                // Freed one by one: the summaries take no memory besides (they are in `counts` already).
                sessions[learner] = KPISessions()
            }
            sessions = []
        }
    }

    /// `percentile_cont(0.5)` of one learner's sorted times, computed as PostgreSQL does (`lo + (hi − lo) · 0.5`
    /// between the two middle values).
    static func median(_ sorted: Slice<UnsafeBufferPointer<UInt64>>) -> Double {
        func value(_ offset: Int) -> Double {
            Double(Int32(bitPattern: UInt32(truncatingIfNeeded: sorted[sorted.startIndex + offset]) ^ 0x8000_0000))
        }
        let position = 0.5 * Double(sorted.count - 1)
        let first = position.rounded(.down)
        let second = position.rounded(.up)
        let low = value(Int(first))
        guard second > first else { return low }
        return low + (value(Int(second)) - low) * (position - first)
    }

    /// The aggregates of every selected learner (ability estimates and goals still to fill).
    func aggregates() -> [String: LearnerAggregates] {
        var result: [String: LearnerAggregates] = [:]
        result.reserveCapacity(users.count)
        for (learner, user) in users.enumerated() where counts[learner].selected {
            let count = counts[learner]
            var value = LearnerAggregates()
            value.recentAttempts = Int(count.recentAttempts)
            value.recentCorrect = Int(count.recentCorrect)
            value.previousAttempts = Int(count.previousAttempts)
            value.previousCorrect = Int(count.previousCorrect)
            value.recentMedianTime = count.recentMedian.isNaN ? nil : count.recentMedian
            value.previousMedianTime = count.previousMedian.isNaN ? nil : count.previousMedian
            value.recoveryAttempts = Int(count.recoveryAttempts)
            value.recoveryCorrect = Int(count.recoveryCorrect)
            value.meanHints = count.hintCount > 0 ? count.hintSum / Double(count.hintCount) : nil
            value.lastAnswer = count.lastAnswer == Int64.min ? nil : Timestamp(microseconds: count.lastAnswer)
            value.engagement = count.engagement.summary
            value.churn = count.churn.summary
            result[user] = value
        }
        return result
    }

    private mutating func learnerIndex(_ user: UnsafeRawBufferPointer) -> Int32 {
        if !lastUser.isEmpty, lastUser.withUnsafeBytes({ sameBytes($0, user) }) { return lastIndex }
        lastUser.removeAll(keepingCapacity: true)
        lastUser.append(contentsOf: user)
        let id = String(decoding: user, as: UTF8.self)
        if let known = indexes[id] {
            lastIndex = known
        } else if let allowed, !allowed.contains(id) {
            lastIndex = -1
            indexes[id] = -1
        } else {
            lastIndex = Int32(users.count)
            indexes[id] = lastIndex
            users.append(id)
            counts.append(LearnerCounts())
            sessions.append(KPISessions())
        }
        return lastIndex
    }
}
