import Postgres
import UTCTime

/// The SQL of the features stage: one GROUP BY for the per-topic daily rows, one for the daily counts the
/// improvement needs, the ability history, and the COPY that writes the rows.
enum FeatureQueries {
    static func dailyTopicRows(_ connection: PostgresConnection, range: TimeWindow) throws -> [FeatureRow] {
        var rows: [FeatureRow] = []
        try connection.stream(
            """
            SELECT user_id, topic_id, day, attempts, correct, avg_time, rt_median, hinted,
                max(last_answer) OVER (PARTITION BY user_id, day) AS last_seen
            FROM (
                SELECT a.user_id, COALESCE(a.topic_id, i.topic_id, '') AS topic_id,
                    (a.answered_at AT TIME ZONE 'UTC')::date AS day,
                    count(*) AS attempts, count(*) FILTER (WHERE a.correct) AS correct,
                    avg(a.response_time_ms::float8) AS avg_time,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms) AS rt_median,
                    count(*) FILTER (WHERE a.hints > 0) AS hinted,
                    max(a.answered_at) AS last_answer
                FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
                WHERE a.answered_at >= \(range.start) AND a.answered_at < \(range.end)
                GROUP BY 1, 2, 3
            ) grouped
            ORDER BY user_id, day, topic_id
            """
        ) { row in
            rows.append(
                FeatureRow(
                    userID: try row.decode(0), topicID: try row.decode(1), day: try row.decode(2),
                    attempts: try row.decode(3), correct: try row.decode(4), averageTimeMs: try row.decode(5),
                    medianTimeMs: try row.decode(6), hintedAttempts: try row.decode(7), lastSeenAt: try row.decode(8)))
        }
        return rows
    }

    /// Daily counts in `[from, to)`, and every ability estimate as of a day in `[abilitiesFrom, through]` plus the
    /// latest one as of an earlier day (ties: the latest run), for the learners in `run_learners`.
    static func histories(
        _ connection: PostgresConnection, from: Timestamp, to: Timestamp, abilitiesFrom: Day, through: Day
    ) throws -> [String: LearnerDailyHistory] {
        var histories: [String: LearnerDailyHistory] = [:]
        try connection.stream(
            """
            SELECT a.user_id, (a.answered_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a JOIN run_learners l ON l.user_id = a.user_id
            WHERE a.answered_at >= \(from) AND a.answered_at < \(to)
            GROUP BY 1, 2
            """
        ) { row in
            histories[try row.decode(0), default: LearnerDailyHistory()].days[try row.decode(1)] = (
                attempts: try row.decode(2), correct: try row.decode(3)
            )
        }
        try connection.stream(
            """
            SELECT h.user_id, h.theta, h.se, h.as_of, h.run_id
            FROM mirt_ability_history h JOIN run_learners l ON l.user_id = h.user_id
            WHERE h.as_of >= \(abilitiesFrom) AND h.as_of <= \(through)
            UNION ALL
            SELECT * FROM (
                SELECT DISTINCT ON (h.user_id) h.user_id, h.theta, h.se, h.as_of, h.run_id
                FROM mirt_ability_history h JOIN run_learners l ON l.user_id = h.user_id
                WHERE h.as_of < \(abilitiesFrom)
                ORDER BY h.user_id, h.as_of DESC, h.run_id DESC
            ) before_range
            """
        ) { row in
            histories[try row.decode(0), default: LearnerDailyHistory()].abilities.append(
                AbilityEstimateRow(
                    theta: try row.decode(1), se: try row.decode(2), asOf: try row.decode(3), runID: try row.decode(4)))
        }
        return histories
    }

    static func write(_ rows: [FeatureRow], connection: PostgresConnection, computedAt: Timestamp, runID: Int64)
        throws -> Int
    {
        try connection.copyIn(
            """
            COPY features_topic_daily (user_id, topic_id, date, attempts, correct, avg_time_ms, rt_median, hints,
                theta_estimate, theta_sd, improvement, last_seen_at, computed_at, run_id) FROM STDIN
            """
        ) { writer in
            for row in rows {
                writer.append(row.userID)
                writer.append(row.topicID)
                writer.append(row.day)
                writer.append(row.attempts)
                writer.append(row.correct)
                writer.append(row.averageTimeMs)
                writer.append(row.medianTimeMs)
                writer.append(row.hintedAttempts)
                writer.append(row.thetaEstimate)
                writer.append(row.thetaSD)
                writer.append(row.improvement)
                writer.append(row.lastSeenAt)
                writer.append(computedAt)
                writer.append(Int(runID))
                try writer.endRow()
            }
        }
    }
}
