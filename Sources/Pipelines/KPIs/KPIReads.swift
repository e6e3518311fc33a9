import JSON
import Postgres
import UTCTime

/// One `weekly_kpi` row: a learner's KPIs of one week, as the stage wrote them.
public struct KPIWeekRow: Sendable, Equatable {
    public var userID: String
    public var weekStart: Day
    /// The KPI keys the stage wrote (the six standard ones, possibly others); a value that is not an object reads
    /// as empty.
    public var kpis: JSONObject
    public var updatedAt: Timestamp
    /// The day the KPIs were last computed as of.
    public var asOf: Day

    /// Whether the week's KPIs are final: computed as of the week's Sunday.
    public var complete: Bool { asOf == weekStart.advanced(by: 6) }

    /// The six KPI keys in their usual order, null where absent.
    public var standardKPIs: JSONObject {
        JSONObject(["I_t", "E_t", "R_t", "A_t", "P", "S"].map { ($0, kpis[$0] ?? .null) })
    }

    static let columns: PostgresQuery = "user_id, week_start, kpis, updated_at, as_of"

    init(row: PostgresRow) throws {
        userID = try row.decode(0)
        weekStart = try row.decode(1)
        kpis = try row.decode(2, as: JSONValue.self).objectValue ?? JSONObject()
        updatedAt = try row.decode(3)
        asOf = try row.decode(4)
    }
}

/// Reads of the weekly KPIs the compute-daily-kpis stage writes.
public enum KPIReads {
    /// One learner's most recent weeks, newest first.
    public static func weeks(of user: String, limit: Int, _ connection: PostgresConnection) throws -> [KPIWeekRow] {
        try connection.query(
            """
            SELECT \(KPIWeekRow.columns) FROM weekly_kpi
            WHERE user_id = \(user) ORDER BY week_start DESC LIMIT \(limit)
            """
        ).rows.map(KPIWeekRow.init(row:))
    }

    /// `weeks(of:limit:_:)` on a connection borrowed from `pool`.
    public static func weeks(of user: String, limit: Int, pool: PostgresPool) throws -> [KPIWeekRow] {
        try pool.withConnection { connection in try weeks(of: user, limit: limit, connection) }
    }

    /// The most recent week with any KPIs, nil when there is none.
    public static func latestWeek(_ connection: PostgresConnection) throws -> Day? {
        try connection.query("SELECT max(week_start) FROM weekly_kpi")[0].decode(0)
    }

    /// Every learner's KPIs of one week in learner order, `limit` after the learner `after` (exclusive).
    public static func week(_ week: Day, after: String?, limit: Int, _ connection: PostgresConnection) throws
        -> [KPIWeekRow]
    {
        try connection.query(
            """
            SELECT \(KPIWeekRow.columns) FROM weekly_kpi
            WHERE week_start = \(week) AND (\(after)::text IS NULL OR user_id > \(after)) ORDER BY user_id
            LIMIT \(limit)
            """
        ).rows.map(KPIWeekRow.init(row:))
    }
}
