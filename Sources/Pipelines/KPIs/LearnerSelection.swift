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
            WHERE answered_at >= $1 AND answered_at < $2 AND ($3::text[] IS NULL OR user_id = ANY($3::text[]))
            """, [window.start, window.end, userIDs]
        ).affectedRows
        try connection.execute("ANALYZE run_learners")
        return count
    }
}
