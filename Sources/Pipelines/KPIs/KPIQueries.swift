import Postgres
import UTCTime

/// The set-based SQL behind the KPIs: per-learner aggregates for the learners in the temporary table
/// `run_learners (user_id)`, each a single GROUP BY over the attempts of the windows, fetched whole so that
/// PostgreSQL may plan them in parallel.
enum KPIQueries {
    /// Attempt counts, medians of correct response times, mean hints and the last answer. Learners without attempts in
    /// the windows still get a row (zeros and NULLs) through the left join.
    static func windows(
        _ connection: PostgresConnection, _ w: KPIWindows, into aggregates: inout [String: LearnerAggregates]
    )
        throws
    {
        let (end, recent14, previous14) = (w.end, w.recent14.start, w.previous14.start)
        let (recent28, previous28, churn56) = (w.recent28.start, w.previous28.start, w.churn56.start)
        try connection.forEachRow(
            """
            SELECT l.user_id,
                count(*) FILTER (WHERE a.answered_at >= \(recent14)) AS recent_attempts,
                count(*) FILTER (WHERE a.answered_at >= \(recent14) AND a.correct) AS recent_correct,
                count(*) FILTER (WHERE a.answered_at >= \(previous14) AND a.answered_at < \(recent14))
                    AS previous_attempts,
                count(*) FILTER (WHERE a.answered_at >= \(previous14) AND a.answered_at < \(recent14) AND a.correct)
                    AS previous_correct,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms)
                    FILTER (WHERE a.answered_at >= \(recent28) AND a.correct) AS recent_median,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_time_ms)
                    FILTER (WHERE a.answered_at >= \(previous28) AND a.answered_at < \(recent28) AND a.correct)
                    AS previous_median,
                avg(a.hints::float8) FILTER (WHERE a.answered_at >= \(recent28)) AS mean_hints,
                max(a.answered_at) FILTER (WHERE a.answered_at >= \(churn56)) AS last_answer
            FROM run_learners l
            LEFT JOIN attempts a ON a.user_id = l.user_id AND a.answered_at >= \(previous28) AND a.answered_at < \(end)
            GROUP BY l.user_id
            """
        ) { row in
            var value = LearnerAggregates()
            value.recentAttempts = try row.decode(1)
            value.recentCorrect = try row.decode(2)
            value.previousAttempts = try row.decode(3)
            value.previousCorrect = try row.decode(4)
            value.recentMedianTime = try row.decode(5)
            value.previousMedianTime = try row.decode(6)
            value.meanHints = try row.decode(7)
            value.lastAnswer = try row.decode(8)
            aggregates[try row.decode(0, as: String.self)] = value
        }
    }

    /// Recovery: recent attempts on the (item, topic) keys the learner answered wrongly in the 28 days before.
    static func recovery(
        _ connection: PostgresConnection, _ w: KPIWindows, into aggregates: inout [String: LearnerAggregates]
    )
        throws
    {
        try connection.forEachRow(
            """
            WITH wrong AS (
                SELECT DISTINCT a.user_id, a.item_id, a.topic_id
                FROM attempts a JOIN run_learners l ON l.user_id = a.user_id
                WHERE a.answered_at >= \(w.previous28.start) AND a.answered_at < \(w.recent28.start) AND NOT a.correct
            )
            SELECT a.user_id, count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a
            JOIN wrong w
                ON w.user_id = a.user_id AND w.item_id = a.item_id AND w.topic_id IS NOT DISTINCT FROM a.topic_id
            WHERE a.answered_at >= \(w.recent28.start) AND a.answered_at < \(w.end)
            GROUP BY a.user_id
            """
        ) { row in
            let user: String = try row.decode(0)
            guard var value = aggregates[user] else { return }
            value.recoveryAttempts = try row.decode(1)
            value.recoveryCorrect = try row.decode(2)
            aggregates[user] = value
        }
    }

    /// Sessions of the engagement window (28 days) and the churn window (56 days) of the learners in `aggregates`
    /// (see `SessionTally`). The attempts stream out with COPY and are counted as they arrive. With `joinSelection`
    /// the query itself keeps only the selected learners, worth it when they are few; otherwise the tally skips the
    /// others, which spares a join when the selection is (nearly) everyone.
    static func sessions(
        _ connection: PostgresConnection, _ w: KPIWindows, joinSelection: Bool,
        into aggregates: inout [String: LearnerAggregates]
    )
        throws
    {
        var tally = SessionTally(learners: aggregates.keys, shortWindowStart: w.recent28.start)
        let selection: PostgresQuery = joinSelection ? "JOIN run_learners l ON l.user_id = a.user_id" : ""
        // COPY takes no parameters: `copyOut` writes the bounds into the statement as escaped literals.
        try connection.copyOut(
            """
            COPY (
                SELECT a.user_id, a.session_id, a.answered_at, a.response_time_ms FROM attempts a \(selection)
                WHERE a.answered_at >= \(w.churn56.start) AND a.answered_at < \(w.end)
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let user = try row.bytes(0), let answeredAt = try row.timestamp(2) else {
                throw PostgresError(.decoding, message: "an attempt without learner or time")
            }
            tally.add(
                user: user, session: try row.bytes(1), answeredAt: answeredAt, responseTimeMs: try row.integer(3))
        }
        for summary in tally.summaries() {
            aggregates[summary.user]?.engagement = summary.engagement
            aggregates[summary.user]?.churn = summary.churn
        }
    }

    /// The ability of each learner with the latest `as_of` in `[from, to]` (any calibration version; ties: the
    /// latest run). Selected by the day the calibration was as of, never by when it ran (SPEC §3).
    static func latestAbilities(_ connection: PostgresConnection, from: Day?, to: Day) throws
        -> [String: AbilityEstimateRow]
    {
        var abilities: [String: AbilityEstimateRow] = [:]
        try connection.forEachRow(
            """
            SELECT DISTINCT ON (h.user_id) h.user_id, h.theta, h.se, h.as_of, h.run_id
            FROM mirt_ability_history h JOIN run_learners l ON l.user_id = h.user_id
            WHERE (\(from)::date IS NULL OR h.as_of >= \(from)) AND h.as_of <= \(to)
            ORDER BY h.user_id, h.as_of DESC, h.run_id DESC
            """
        ) { row in
            abilities[try row.decode(0)] = AbilityEstimateRow(
                theta: try row.decode(1), se: try row.decode(2), asOf: try row.decode(3), runID: try row.decode(4))
        }
        return abilities
    }

    /// Goals of the learners that have one.
    static func goals(_ connection: PostgresConnection) throws -> [String: Double] {
        var goals: [String: Double] = [:]
        try connection.forEachRow(
            "SELECT g.user_id, g.target_theta FROM learner_goals g JOIN run_learners l ON l.user_id = g.user_id"
        ) { row in goals[try row.decode(0)] = try row.decode(1) }
        return goals
    }
}
