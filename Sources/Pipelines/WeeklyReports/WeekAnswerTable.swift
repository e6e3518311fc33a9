import Postgres
import Reports
import UTCTime

/// The week's answers of the run's learners, per topic and per day (`WeekAnswers`), from one read of the whole
/// week for the run. Queried per chunk of 2,000 learners they cost 4.1 s of index scans on the bench's 89,900
/// learners; grouped and sorted by PostgreSQL in one query, 0.9–1.3 s; streamed as they are (learner, topic, time,
/// correctness) in one binary COPY and counted here as they arrive, the COPY takes 0.4 s in psql, the stage's floor.
///
/// Learners are held in the "C" collation's order, `user_id` in byte order, and found by a binary search comparing
/// bytes, so that ids Swift's `String` would call equal stay apart.
struct WeekAnswerTable {
    private var users: [String] = []
    /// Learner `i`'s topics are `topics[topicStarts[i]..<topicStarts[i + 1]]`; days likewise.
    private var topicStarts: [Int] = [0]
    private var topics: [TopicAccuracy] = []
    private var dayStarts: [Int] = [0]
    private var days: [DailyActivity] = []

    /// The answers of `week`, of `learners` only when given (else of everyone who answered that week).
    ///
    /// Each answer is counted under its learner (interned by bytes), its topic (the attempt's, else the item's; an
    /// empty one counts as none) and its UTC day, exactly the groups `GROUP BY user_id, topic, day` would form.
    static func load(_ connection: PostgresConnection, week: TimeWindow, learners: [String]?) throws
        -> WeekAnswerTable
    {
        var ids = IDInterner()
        var sums: [WeekAnswers] = []
        let onlyThose: PostgresQuery = learners.map { "a.user_id = ANY(\($0)::text[]) AND " } ?? ""
        // COPY takes no parameters: `copyOut` writes them into the statement as escaped literals.
        try connection.copyOut(
            """
            COPY (
                SELECT a.user_id, NULLIF(COALESCE(a.topic_id, i.topic_id), ''), a.answered_at, a.correct
                FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
                WHERE \(onlyThose)a.answered_at >= \(week.start) AND a.answered_at < \(week.end)
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let user = try row.bytes(0), let answeredAt = try row.timestamp(2), let correct = try row.boolean(3)
            else { throw PostgresError(.decoding, message: "an answer without learner, time or correctness") }
            let learner = Int(ids.index(of: user))
            if learner == sums.count { sums.append(WeekAnswers()) }
            sums[learner].add(
                topic: try row.bytes(1).map { String(decoding: $0, as: UTF8.self) }, day: answeredAt.day, attempts: 1,
                correct: correct ? 1 : 0)
        }
        var byRank = [Int](repeating: 0, count: ids.count)
        for (learner, rank) in ids.ranks().enumerated() { byRank[Int(rank)] = learner }
        var table = WeekAnswerTable()
        for learner in byRank {
            table.append(ids.string(learner), sums[learner].take())
            sums[learner] = WeekAnswers()  // its arrays let go once copied into the table
        }
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
