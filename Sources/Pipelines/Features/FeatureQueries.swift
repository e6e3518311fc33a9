import Postgres
import UTCTime

/// The SQL of the features stage: the attempts of the history in two binary COPYs (counted by `FeatureTally`), the
/// items' topics and the ability history of the learners of the range (selected by `LearnerSelection`). Writing the
/// rows is `replace` (`FeatureQueries+Replace.swift`).
enum FeatureQueries {
    /// Counts every attempt of `history` into a tally: learner, time and correctness of each, plus topic (else
    /// item), response time and hints of those in the range (its last `rangeDays` days).
    ///
    /// PostgreSQL turns rows into COPY's format on one core per COPY, and that is most of the read, so the history is
    /// read in two parts at once (`SnapshotReaders`, the run's snapshot): the early days, of which only learner, time
    /// and correctness are needed, and the rest, ending with the range. The later part's range days carry four more
    /// columns and their groups, so they count twice when the days are shared out: of the bench's 34 days (a range
    /// of 7), 20 and 14, which took PostgreSQL alone 1.0 and 0.85–1.2 s, against 2.0 s in one COPY. The early part's
    /// daily counts (a tally of its own days, without a range) are then added to the later part's tally, which holds
    /// every group.
    static func tally(
        _ connection: PostgresConnection, history: TimeWindow, rangeDays: Int,
        itemTopics: [(itemID: String, topicID: String)], readers: SnapshotReaders
    ) throws -> FeatureTally {
        let late = FeatureTally(history: history, rangeDays: rangeDays, itemTopics: itemTopics)
        let rangeStart = late.rangeFirstDay.start
        let earlyDays = min(history.days - rangeDays, (history.days + rangeDays) / 2)
        let earlyHistory = TimeWindow(endingOn: history.firstDay.advanced(by: earlyDays - 1), days: earlyDays)
        let early = FeatureTally(history: earlyHistory, rangeDays: 0, itemTopics: [])
        let split = earlyHistory.end
        var parts = try readers.read(connection, parts: 2) { index, reader in
            var tally = index == 0 ? early : late
            // Only the range's attempts need more than learner, time and correctness: the others carry NULLs,
            // which are 4 bytes in the binary format.
            let query: PostgresQuery =
                index == 0
                ? """
                COPY (
                    SELECT user_id, answered_at, correct FROM attempts
                    WHERE answered_at >= \(history.start) AND answered_at < \(split)
                ) TO STDOUT (FORMAT binary)
                """
                : """
                COPY (
                    SELECT user_id, answered_at, correct,
                        CASE WHEN answered_at >= \(rangeStart) THEN topic_id END,
                        CASE WHEN answered_at >= \(rangeStart) AND topic_id IS NULL THEN item_id END,
                        CASE WHEN answered_at >= \(rangeStart) THEN response_time_ms END,
                        CASE WHEN answered_at >= \(rangeStart) THEN hints END
                    FROM attempts WHERE answered_at >= \(split) AND answered_at < \(history.end)
                ) TO STDOUT (FORMAT binary)
                """
            try count(reader, query, into: &tally)
            return tally
        }
        var tally = parts.removeLast()
        tally.addDailyCounts(of: parts.removeLast())
        return tally
    }

    /// Adds the attempts `query` streams (learner, time, correctness, then optionally topic, item, response time and
    /// hints) to `tally`.
    private static func count(_ reader: SnapshotReaders.Reader, _ query: PostgresQuery, into tally: inout FeatureTally)
        throws
    {
        var untilCheck = reader.checkEvery
        try reader.connection.copyOut(query) { row in
            guard let user = try row.bytes(0), let answeredAt = try row.timestamp(1), let correct = try row.bytes(2),
                correct.count == 1
            else {
                throw PostgresError(.decoding, message: "an attempt without learner, time or correctness")
            }
            let late = row.fieldCount > 3
            tally.add(
                user: user, answeredAt: answeredAt, correct: correct[0] != 0, topic: late ? try row.bytes(3) : nil,
                item: late ? try row.bytes(4) : nil, responseTimeMs: late ? try row.integer(5) : nil,
                hints: late ? try row.integer(6) : nil)
            try reader.checkRow(&untilCheck)
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
