import Reports
import UTCTime

/// One learner's answers of the week, summed both ways: per topic (most answered first, ties by topic id in byte
/// order, no topic last: as `ORDER BY count DESC, topic COLLATE "C"` would) and per day (in day order), so that one
/// pass over the week's attempts feeds both charts.
struct WeekAnswers {
    private var topics: [TopicAccuracy] = []
    private var days: [DailyActivity] = []

    /// Adds `attempts` answers (`correct` of them right) of one topic and day.
    mutating func add(topic: String?, day: Day, attempts: Int, correct: Int) {
        if let index = topics.firstIndex(where: { Self.sameTopic($0.topicID, topic) }) {
            topics[index].attempts += attempts
            topics[index].correct += correct
        } else {
            topics.append(TopicAccuracy(topicID: topic, attempts: attempts, correct: correct))
        }
        if let index = days.firstIndex(where: { $0.day == day }) {
            days[index].attempts += attempts
            days[index].correct += correct
        } else {
            days.append(DailyActivity(day: day, attempts: attempts, correct: correct))
        }
    }

    /// The sums in the charts' orders; starts empty again.
    mutating func take() -> (topics: [TopicAccuracy], days: [DailyActivity]) {
        defer {
            topics.removeAll(keepingCapacity: true)
            days.removeAll(keepingCapacity: true)
        }
        return (topics.sorted(by: Self.precedes), days.sorted { $0.day < $1.day })
    }

    /// Byte-wise equality, as PostgreSQL groups `text` (Swift's `==` would merge canonically equivalent ids).
    static func sameTopic(_ left: String?, _ right: String?) -> Bool {
        switch (left, right) {
        case (let left?, let right?): return left.utf8.elementsEqual(right.utf8)
        case (nil, nil): return true
        default: return false
        }
    }

    /// More attempts first; then topic ids in byte order (PostgreSQL's "C" collation), nil last.
    static func precedes(_ left: TopicAccuracy, _ right: TopicAccuracy) -> Bool {
        if left.attempts != right.attempts { return left.attempts > right.attempts }
        switch (left.topicID, right.topicID) {
        case (let left?, let right?): return left.utf8.lexicographicallyPrecedes(right.utf8)
        case (nil, _?): return false
        case (_?, nil): return true
        case (nil, nil): return false
        }
    }
}
