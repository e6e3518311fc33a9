import JSON
import Postgres
import UTCTime

/// The set-based SQL of the inactivity stage.
enum ActivityQueries {
    /// Recomputes `learner_activity` from every learner's last answer before `end`: active within the threshold,
    /// inactive beyond it up to `maxDays`, dormant after that. A notification stays recorded only for the
    /// inactivity spell it was sent for (same `inactive_since`).
    static func recompute(
        _ connection: PostgresConnection, today: Day, thresholdDays: Int, maxDays: Int, detectedAt: Timestamp
    ) throws -> (removed: Int, upserted: Int) {
        // CREATE TABLE AS (not INSERT … SELECT) so that the scan of every attempt can run in parallel.
        try connection.queryUnprepared(
            """
            CREATE TEMP TABLE computed_activity ON COMMIT DROP AS
            SELECT user_id, max(answered_at) AS last_active_at FROM attempts WHERE answered_at < \(today.end)
            GROUP BY user_id
            """)
        try connection.execute("ALTER TABLE computed_activity ADD PRIMARY KEY (user_id); ANALYZE computed_activity")
        let removed = try connection.query(
            """
            DELETE FROM learner_activity la
            WHERE NOT EXISTS (SELECT 1 FROM computed_activity c WHERE c.user_id = la.user_id)
            """
        ).affectedRows
        let upserted = try connection.query(
            """
            INSERT INTO learner_activity (user_id, last_active_at, inactive_since, days_inactive, status, detected_at)
            SELECT user_id, last_active_at,
                CASE WHEN days > \(thresholdDays) THEN last_active_at END,
                days,
                CASE WHEN days <= \(thresholdDays) THEN 'active' WHEN days <= \(maxDays) THEN 'inactive'
                    ELSE 'dormant' END,
                \(detectedAt)
            FROM (
                SELECT user_id, last_active_at, \(today)::date - (last_active_at AT TIME ZONE 'UTC')::date AS days
                FROM computed_activity
            ) classified
            ON CONFLICT (user_id) DO UPDATE SET
                last_active_at = EXCLUDED.last_active_at, inactive_since = EXCLUDED.inactive_since,
                days_inactive = EXCLUDED.days_inactive, status = EXCLUDED.status, detected_at = EXCLUDED.detected_at,
                notified_at = CASE
                    WHEN EXCLUDED.inactive_since IS NOT NULL
                        AND learner_activity.inactive_since = EXCLUDED.inactive_since
                    THEN learner_activity.notified_at
                END
            """
        ).affectedRows
        return (removed, upserted)
    }

    static func statusCounts(_ connection: PostgresConnection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try connection.query("SELECT status, count(*) FROM learner_activity GROUP BY status").rows {
            counts[try row.decode(0)] = try row.decode(1)
        }
        return counts
    }

    /// Inactive learners not yet notified for their current spell.
    static func unnotified(_ connection: PostgresConnection) throws -> [JSONValue] {
        try connection.query(
            """
            SELECT user_id, last_active_at, inactive_since, days_inactive FROM learner_activity
            WHERE status = 'inactive' AND notified_at IS NULL ORDER BY user_id
            """
        ).rows.map { row in
            .object(
                JSONObject([
                    ("user_id", .string(try row.decode(0))),
                    ("last_active_at", .string(try row.decode(1, as: Timestamp.self).rfc3339)),
                    ("inactive_since", .string(try row.decode(2, as: Timestamp.self).rfc3339)),
                    ("days_inactive", .int(try row.decode(3))),
                ]))
        }
    }

    static func markNotified(_ connection: PostgresConnection, userIDs: [String], at instant: Timestamp) throws {
        try connection.query(
            "UPDATE learner_activity SET notified_at = \(instant) WHERE user_id = ANY(\(userIDs)::text[])")
    }

    /// The learners whose P and S are refreshed: last answer within `maxDays`. Also returns their last answers.
    static func selectRecentLearners(_ connection: PostgresConnection, since: Timestamp) throws -> [String: Timestamp] {
        try connection.execute("CREATE TEMP TABLE run_learners (user_id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DROP")
        var lastAnswers: [String: Timestamp] = [:]
        let rows = try connection.query(
            """
            INSERT INTO run_learners (user_id)
            SELECT user_id FROM computed_activity WHERE last_active_at >= \(since)
            RETURNING user_id, (SELECT last_active_at FROM computed_activity c WHERE c.user_id = run_learners.user_id)
            """)
        for row in rows.rows { lastAnswers[try row.decode(0)] = try row.decode(1) }
        try connection.execute("ANALYZE run_learners")
        return lastAnswers
    }

    /// The sessions of `window` (a `session_id`, or a UTC day for attempts without one, starting at its first answer)
    /// of each learner with attempts there: how many, and the first and last start. With `joinSelection` only the
    /// learners in `run_learners`. PostgreSQL groups the attempts by session, so that only one row per learner
    /// reaches the service: the sessions of every learner of 56 days are millions.
    static func churnSessions(_ connection: PostgresConnection, window: TimeWindow, joinSelection: Bool) throws
        -> [String: SessionSummary]
    {
        let selection: PostgresQuery = joinSelection ? "JOIN run_learners l ON l.user_id = a.user_id" : ""
        var summaries: [String: SessionSummary] = [:]
        try connection.forEachRow(
            """
            SELECT user_id, count(*), min(start), max(start)
            FROM (
                SELECT a.user_id, min(a.answered_at) AS start
                FROM attempts a \(selection)
                WHERE a.answered_at >= \(window.start) AND a.answered_at < \(window.end)
                GROUP BY a.user_id, a.session_id,
                    CASE WHEN a.session_id IS NULL THEN (a.answered_at AT TIME ZONE 'UTC')::date END
            ) sessions
            GROUP BY user_id
            """
        ) { row in
            summaries[try row.decode(0)] = SessionSummary(
                count: try row.decode(1), firstStart: try row.decode(2), lastStart: try row.decode(3))
        }
        return summaries
    }
}
