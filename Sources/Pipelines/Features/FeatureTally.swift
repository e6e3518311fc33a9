import Postgres
import UTCTime

/// Counts the features stage's input in one pass over the attempts, in any order: every learner's attempts and
/// correct ones per day of the history (`I_t` looks back 27 days before the range), and per learner × topic × day of
/// the range the counts, times and hints of `features_topic_daily`.
///
/// PostgreSQL needed a GROUP BY with a sort per output (the per-topic rows, with their medians, and the daily
/// counts); counting here while the attempts stream in reads them once. Memory is flat arrays indexed by small
/// integers: learners, topics and items are interned once by their bytes (`IDInterner`: two spellings PostgreSQL's
/// "C" collation keeps apart, such as a composed and a decomposed "é", stay two ids), and a learner's day is an offset
/// into the history.
struct FeatureTally {
    /// The first day of the history and how many days it has (the range is its last `rangeDays`).
    let historyFirstDay: Day
    let historyDays: Int
    let rangeDays: Int
    var rangeFirstDay: Day { historyFirstDay.advanced(by: historyDays - rangeDays) }
    private let historyStart: Int64
    private let rangeStart: Int64

    private(set) var learners = IDInterner()
    private(set) var topics = IDInterner()
    /// The items that have a topic, and the topic of each (`itemTopics[item]`, an index into `topics`).
    private var items = IDInterner()
    private var itemTopics: [Int32] = []
    /// The topic index of the empty topic (attempts whose item has none either).
    private let noTopic: Int32

    /// Attempts and correct ones of learner `l` on history day `d`, at `l * historyDays + d`: side by side, so that
    /// counting an attempt of a learner not seen lately misses the cache once, not twice.
    private var daily: [DayCounts] = []
    /// The last answer of learner `l` on range day `d`, at `l * rangeDays + d` (`Int64.min` for none).
    private(set) var lastAnswers: [Int64] = []

    /// One group per learner, topic and range day with attempts, in order of first appearance.
    private(set) var groups: [TopicDayGroup] = []
    private var groupIndexes: [TopicDayGroup.Key: Int32] = [:]
    /// The known response times: the group's index in the high 32 bits, the time in the low 32.
    private var times: [UInt64] = []

    init(history: TimeWindow, rangeDays: Int, itemTopics: [(itemID: String, topicID: String)]) {
        historyFirstDay = history.firstDay
        historyDays = history.days
        self.rangeDays = rangeDays
        historyStart = history.start.microseconds
        rangeStart = history.lastDay.advanced(by: -(rangeDays - 1)).start.microseconds
        noTopic = Self.intern("", into: &topics)
        for (item, topic) in itemTopics {
            let index = Int(Self.intern(item, into: &items))
            let topic = Self.intern(topic, into: &topics)
            if index == self.itemTopics.count { self.itemTopics.append(topic) } else { self.itemTopics[index] = topic }
        }
    }

    /// The index of `id`'s UTF-8 bytes (PostgreSQL's bytes of the text: Swift keeps them as they were decoded).
    private static func intern(_ id: String, into interner: inout IDInterner) -> Int32 {
        var id = id
        return id.withUTF8 { interner.index(of: UnsafeRawBufferPointer($0)) }
    }

    /// Adds one attempt of the history. `topic`, `item`, `responseTimeMs` and `hints` are read only for attempts of
    /// the range.
    mutating func add(
        user: UnsafeRawBufferPointer, answeredAt: Timestamp, correct: Bool, topic: UnsafeRawBufferPointer?,
        item: UnsafeRawBufferPointer?, responseTimeMs: Int64?, hints: Int64?
    ) {
        let learner = learnerIndex(user)
        let time = answeredAt.microseconds
        guard time >= historyStart else { return }
        let historyDay = Int((time - historyStart) / Timestamp.microsecondsPerDay)
        guard historyDay < historyDays else { return }
        daily[learner * historyDays + historyDay].attempts += 1
        if correct { daily[learner * historyDays + historyDay].correct += 1 }
        guard time >= rangeStart else { return }
        let rangeDay = historyDay - (historyDays - rangeDays)
        lastAnswers[learner * rangeDays + rangeDay] = max(lastAnswers[learner * rangeDays + rangeDay], time)
        let key = TopicDayGroup.Key(
            learner: Int32(learner), topic: topicIndex(topic: topic, item: item), day: Int32(rangeDay))
        let group: Int
        if let found = groupIndexes[key] {
            group = Int(found)
        } else {
            group = groups.count
            groupIndexes[key] = Int32(group)
            groups.append(TopicDayGroup(key: key))
        }
        groups[group].attempts += 1
        if correct { groups[group].correct += 1 }
        if let hints, hints > 0 { groups[group].hinted += 1 }
        if let responseTimeMs {
            groups[group].timed += 1
            groups[group].timeSumMs += responseTimeMs
            times.append(UInt64(group) << 32 | UInt64(UInt32(truncatingIfNeeded: responseTimeMs)))
        }
    }

    /// Adds the counts of `other`, a tally of some of this history's days before the range that has no range of its
    /// own (`rangeDays` 0: a part of the history read on its own): every learner's attempts and correct ones per day.
    mutating func addDailyCounts(of other: FeatureTally) {
        let offset = historyFirstDay.distance(to: other.historyFirstDay)
        precondition(
            other.rangeDays == 0 && offset >= 0 && offset + other.historyDays <= historyDays - rangeDays,
            "only a tally of days of this history before its range is added")
        for learner in 0..<other.learners.count {
            let index = other.learners.withBytes(of: learner) { learnerIndex($0) }
            for day in 0..<other.historyDays {
                let counts = other.daily[learner * other.historyDays + day]
                daily[index * historyDays + offset + day].attempts += counts.attempts
                daily[index * historyDays + offset + day].correct += counts.correct
            }
        }
    }

    /// The index of the learner with id `user`, interned on first sight (with zeroed days).
    private mutating func learnerIndex(_ user: UnsafeRawBufferPointer) -> Int {
        let count = learners.count
        let index = Int(learners.index(of: user))
        if index == count {
            daily.append(contentsOf: repeatElement(DayCounts(), count: historyDays))
            lastAnswers.append(contentsOf: repeatElement(Int64.min, count: rangeDays))
        }
        return index
    }

    /// The attempt's topic, else its item's, else the empty topic.
    private mutating func topicIndex(topic: UnsafeRawBufferPointer?, item: UnsafeRawBufferPointer?) -> Int32 {
        if let topic { return topics.index(of: topic) }
        guard let item, let known = items.existingIndex(of: item) else { return noTopic }
        return itemTopics[Int(known)]
    }

    /// The median of each group's known response times, as PostgreSQL's `percentile_cont(0.5)` computes it (the
    /// middle value, or `lo + 0.5 · (hi − lo)` of the two middle ones); nil for a group without one. Sorts the times.
    mutating func medians() -> [Double?] {
        times.sort()
        var medians = [Double?](repeating: nil, count: groups.count)
        var start = 0
        while start < times.count {
            let group = Int(times[start] >> 32)
            let count = groups[group].timed
            let low = (count - 1) / 2
            let high = count / 2
            let lowValue = Double(UInt32(truncatingIfNeeded: times[start + low]))
            let highValue = Double(UInt32(truncatingIfNeeded: times[start + high]))
            medians[group] = low == high ? lowValue : lowValue + 0.5 * (highValue - lowValue)
            start += count
        }
        times = []
        return medians
    }

    /// Attempts and correct ones of `learner` in `window` (its days outside the history count none).
    func counts(learner: Int, in window: TimeWindow) -> (attempts: Int, correct: Int) {
        let first = historyFirstDay.distance(to: window.firstDay)
        var total = (attempts: 0, correct: 0)
        let lower = max(0, first)
        let upper = min(historyDays, first + window.days)
        guard lower < upper else { return total }
        for day in lower..<upper {
            total.attempts += Int(daily[learner * historyDays + day].attempts)
            total.correct += Int(daily[learner * historyDays + day].correct)
        }
        return total
    }
}

/// A learner's attempts and correct ones on one day.
struct DayCounts {
    var attempts: Int32 = 0
    var correct: Int32 = 0
}

/// The counts of one learner × topic × range day.
struct TopicDayGroup {
    struct Key: Hashable {
        var learner: Int32
        var topic: Int32
        var day: Int32
    }

    let key: Key
    var attempts = 0
    var correct = 0
    /// Attempts that used at least one hint.
    var hinted = 0
    /// Attempts with a response time, and the sum of their times.
    var timed = 0
    var timeSumMs: Int64 = 0

    init(key: Key) { self.key = key }

    /// The mean of the known times, as PostgreSQL's `avg(float8)` gives it: their sum (exact in a double for any
    /// realistic count of `integer` times) divided by their count.
    var averageTimeMs: Double? { timed > 0 ? Double(timeSumMs) / Double(timed) : nil }
}
