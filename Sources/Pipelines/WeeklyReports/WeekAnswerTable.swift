import Postgres
import Reports
import UTCTime

/// The week's answers of the run's learners, per topic and per day (`WeekAnswers`), from one aggregate query for the
/// whole run. Queried per chunk of 2,000 learners, as before, they cost 4.1 s of index scans on the bench's 89,900
/// learners; the one query takes 1.1 s.
///
/// Learners are held in the query's order, `user_id` in byte order (the "C" collation), and found by a binary search
/// comparing bytes, so that ids Swift's `String` would call equal stay apart.
struct WeekAnswerTable {
    private var users: [String] = []
    /// Learner `i`'s topics are `topics[topicStarts[i]..<topicStarts[i + 1]]`; days likewise.
    private var topicStarts: [Int] = [0]
    private var topics: [TopicAccuracy] = []
    private var dayStarts: [Int] = [0]
    private var days: [DailyActivity] = []

    /// The answers of `week`, of `learners` only when given (else of everyone who answered that week).
    static func load(_ connection: PostgresConnection, week: TimeWindow, learners: [String]?) throws
        -> WeekAnswerTable
    {
        var table = WeekAnswerTable()
        var current: String?
        var answers = WeekAnswers()
        let add = { (row: PostgresRow) throws in
            let user: String = try row.decode(0)
            if let previous = current, !previous.utf8.elementsEqual(user.utf8) {
                table.append(previous, answers.take())
            }
            current = user
            answers.add(
                topic: try row.decode(1), day: try row.decode(2), attempts: try row.decode(3),
                correct: try row.decode(4))
        }
        let onlyThose: PostgresQuery = learners.map { "a.user_id = ANY(\($0)::text[]) AND " } ?? ""
        try connection.stream(
            """
            SELECT a.user_id, NULLIF(COALESCE(a.topic_id, i.topic_id), ''),
                (a.answered_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
            WHERE \(onlyThose)a.answered_at >= \(week.start) AND a.answered_at < \(week.end)
            GROUP BY 1, 2, 3 ORDER BY 1
            """, add)
        if let last = current { table.append(last, answers.take()) }
        return table
    }

    private mutating func append(_ user: String, _ sums: (topics: [TopicAccuracy], days: [DailyActivity])) {
        users.append(user)
        topics += sums.topics
        topicStarts.append(topics.count)
        days += sums.days
        dayStarts.append(days.count)
    }

    /// The learner's sums, empty for a learner without answers that week.
    func answers(of user: String) -> (topics: [TopicAccuracy], days: [DailyActivity]) {
        var low = 0
        var high = users.count
        while low < high {
            let middle = (low + high) / 2
            if users[middle].utf8.lexicographicallyPrecedes(user.utf8) { low = middle + 1 } else { high = middle }
        }
        guard low < users.count, users[low].utf8.elementsEqual(user.utf8) else { return ([], []) }
        return (
            Array(topics[topicStarts[low]..<topicStarts[low + 1]]), Array(days[dayStarts[low]..<dayStarts[low + 1]])
        )
    }
}
