import Postgres
import UTCTime

/// The SQL behind the KPIs: the attempts of the windows streamed with COPY (counted in the service by `KPITally`),
/// and the ability estimates and goals of the learners in the temporary table `run_learners (user_id)`.
enum KPIQueries {
    /// Streams the attempts answered in `[from, to)` (of the learners in `userIDs`, when given) with the columns
    /// `KPITallyRow` reads, in no particular order. A range of the BRIN index on `answered_at`: the rows come in heap
    /// order, which is time order, with no sort.
    static func attempts(
        _ connection: PostgresConnection, from: Timestamp, to: Timestamp, userIDs: [String]?,
        _ body: (KPITallyRow) throws -> Void
    ) throws {
        // COPY takes no parameters: `copyOut` writes the bounds and ids into the statement as escaped literals.
        try connection.copyOut(
            """
            COPY (
                SELECT user_id, item_id, topic_id, session_id, correct, response_time_ms, hints, answered_at
                FROM attempts
                WHERE answered_at >= \(from) AND answered_at < \(to)
                    AND (\(userIDs)::text[] IS NULL OR user_id = ANY(\(userIDs)::text[]))
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in try body(KPITallyRow(row)) }
    }

    /// Streams the learner of each attempt answered in `[from, to)`: the part of a selection window longer than the
    /// KPI windows.
    static func learners(
        _ connection: PostgresConnection, from: Timestamp, to: Timestamp, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws {
        try connection.copyOut(
            """
            COPY (SELECT user_id FROM attempts WHERE answered_at >= \(from) AND answered_at < \(to))
            TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let user = try row.bytes(0) else {
                throw PostgresError(.decoding, message: "an attempt without learner")
            }
            body(user)
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
