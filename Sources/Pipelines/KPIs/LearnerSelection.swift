import Postgres

/// The temporary table `run_learners`: the learners a run computes for, joined by the stage's queries.
enum LearnerSelection {
    /// Everyone with an attempt in `window`, optionally only `userIDs`. Returns how many.
    @discardableResult
    static func create(_ connection: PostgresConnection, activeIn window: TimeWindow, userIDs: [String]?) throws -> Int
    {
        try connection.execute("CREATE TEMP TABLE run_learners (user_id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP")
        let count = try connection.query(
            """
            INSERT INTO run_learners (user_id)
            SELECT DISTINCT user_id FROM attempts
            WHERE answered_at >= \(window.start) AND answered_at < \(window.end)
                AND (\(userIDs)::text[] IS NULL OR user_id = ANY(\(userIDs)::text[]))
            """
        ).affectedRows
        try connection.execute("ANALYZE run_learners")
        return count
    }

    /// The given learners, as computed in the service (one COPY). Returns how many.
    @discardableResult
    static func create(_ connection: PostgresConnection, learners: some Sequence<String>) throws -> Int {
        try connection.execute("CREATE TEMP TABLE run_learners (user_id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP")
        let count = try connection.copyIn("COPY run_learners (user_id) FROM STDIN") { writer in
            for user in learners {
                writer.append(user)
                try writer.endRow()
            }
        }
        try connection.execute("ANALYZE run_learners")
        return count
    }
}
