import JSON
import Postgres
import UTCTime

/// Merges KPI values into `weekly_kpi`: a run replaces only the keys it computes and keeps every other key of the
/// learner's week (`kpis || new`), so stages that compute different KPIs do not erase each other.
enum WeeklyKPIWriter {
    /// Writes one object of KPI keys per learner for the week containing `asOf`, recording `asOf` as the day the week's
    /// row was last computed for; returns the rows written.
    @discardableResult
    static func merge(_ connection: PostgresConnection, asOf: Day, rows: [(userID: String, kpis: JSONObject)])
        throws -> Int
    {
        try connection.execute(
            "CREATE TEMP TABLE incoming_kpis (user_id text COLLATE \"C\", kpis jsonb) ON COMMIT DROP")
        try connection.copyIn("COPY incoming_kpis (user_id, kpis) FROM STDIN") { writer in
            for row in rows {
                writer.append(row.userID)
                writer.append(JSONValue.object(row.kpis).jsonText)
                try writer.endRow()
            }
        }
        let written = try connection.query(
            """
            INSERT INTO weekly_kpi (user_id, week_start, kpis, as_of)
            SELECT user_id, \(asOf.weekStart), kpis, \(asOf) FROM incoming_kpis
            ON CONFLICT (user_id, week_start)
            DO UPDATE SET kpis = weekly_kpi.kpis || EXCLUDED.kpis, as_of = EXCLUDED.as_of, updated_at = now()
            """
        ).affectedRows
        try connection.execute("DROP TABLE incoming_kpis")
        return written
    }
}
