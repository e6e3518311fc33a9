import Postgres
import UTCTime

/// The SQL of the features stage: one binary COPY of the attempts of the history (counted by `FeatureTally`), the
/// items' topics and the ability history of the learners of the range (selected by `LearnerSelection`). Writing the
/// rows is `replace` (`FeatureQueries+Replace.swift`).
enum FeatureQueries {
    /// Streams every attempt of `history` into `tally`: learner, time and correctness of each, plus topic (else item),
    /// response time and hints of those in the tally's range. Returns the number of attempts.
    @discardableResult
    static func scan(_ connection: PostgresConnection, history: TimeWindow, into tally: inout FeatureTally) throws
        -> Int
    {
        let rangeStart = tally.rangeFirstDay.start
        // Only the range's attempts need more than learner, time and correctness: the others carry NULLs, which
        // are 4 bytes in the binary format.
        return try connection.copyOut(
            """
            COPY (
                SELECT user_id, answered_at, correct,
                    CASE WHEN answered_at >= \(rangeStart) THEN topic_id END,
                    CASE WHEN answered_at >= \(rangeStart) AND topic_id IS NULL THEN item_id END,
                    CASE WHEN answered_at >= \(rangeStart) THEN response_time_ms END,
                    CASE WHEN answered_at >= \(rangeStart) THEN hints END
                FROM attempts WHERE answered_at >= \(history.start) AND answered_at < \(history.end)
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let user = try row.bytes(0), let answeredAt = try row.timestamp(1), let correct = try row.bytes(2),
                correct.count == 1
            else {
                throw PostgresError(.decoding, message: "an attempt without learner, time or correctness")
            }
            tally.add(
                user: user, answeredAt: answeredAt, correct: correct[0] != 0, topic: try row.bytes(3),
                item: try row.bytes(4), responseTimeMs: try row.integer(5), hints: try row.integer(6))
        }
    }

    /// The topic of every item that has one.
    static func itemTopics(_ connection: PostgresConnection) throws -> [(itemID: String, topicID: String)] {
        try connection.query("SELECT item_id, topic_id FROM items WHERE topic_id IS NOT NULL").rows.map { row in
            (itemID: try row.decode(0), topicID: try row.decode(1))
        }
    }

    /// Every ability estimate as of a day in `[from, through]` plus the latest one as of an earlier day (ties: the
    /// latest run), for the learners in `run_learners`, by the bytes of the learner id (a `String` key would merge
    /// spellings the "C" collation keeps apart).
    static func abilities(_ connection: PostgresConnection, from: Day, through: Day) throws
        -> [[UInt8]: LearnerDailyHistory]
    {
        var histories: [[UInt8]: LearnerDailyHistory] = [:]
        try connection.stream(
            """
            SELECT h.user_id, h.theta, h.se, h.as_of, h.run_id
            FROM mirt_ability_history h JOIN run_learners l ON l.user_id = h.user_id
            WHERE h.as_of >= \(from) AND h.as_of <= \(through)
            UNION ALL
            SELECT * FROM (
                SELECT DISTINCT ON (h.user_id) h.user_id, h.theta, h.se, h.as_of, h.run_id
                FROM mirt_ability_history h JOIN run_learners l ON l.user_id = h.user_id
                WHERE h.as_of < \(from)
                ORDER BY h.user_id, h.as_of DESC, h.run_id DESC
            ) before_range
            """
        ) { row in
            histories[Array(try row.decode(0, as: String.self).utf8), default: LearnerDailyHistory()].abilities.append(
                AbilityEstimateRow(
                    theta: try row.decode(1), se: try row.decode(2), asOf: try row.decode(3), runID: try row.decode(4)))
        }
        for key in histories.keys { histories[key]?.sort() }
        return histories
    }
}
