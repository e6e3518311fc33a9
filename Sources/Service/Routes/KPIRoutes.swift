import HTTPServer
import JSON
import Postgres
import UTCTime

/// Weekly KPIs: one learner's recent weeks, and one week of every learner for dashboards.
enum KPIRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let read = context.authenticator.check(.read)
        let cache = context.cache
        router.get("/v1/users/{user_id}/kpis", headCheck: read, fastPath: cache.fastPath) { request in
            try cache.caching(request) {
                let user = try PathReader(request).identifier("user_id")
                let weeks = try QueryReader(request).int("weeks", default: 4, range: 1...12)
                let rows = try withDatabase { try KPIReads.weeks(of: user, limit: weeks, pool: context.pool) }
                if rows.isEmpty, try !withDatabase({ try LearnerLookup.exists(user, pool: context.pool) }) {
                    throw LearnerLookup.unknown(user)
                }
                return .json(.object(JSONObject([("user_id", .string(user)), ("weeks", .array(rows.map(\.json)))])))
            }
        }
        router.get("/v1/kpis", headCheck: read, fastPath: cache.fastPath) { request in
            try cache.caching(request) {
                let query = QueryReader(request)
                let limit = try query.int("limit", default: 100, range: 1...1000)
                let after = try query.cursor(parts: 1)?.first
                let page = try withDatabase {
                    try context.pool.withConnection { connection in
                        guard let week = try query.day("week_start") ?? KPIReads.latestWeek(connection) else {
                            return (week: Day?.none, rows: [KPIWeekRow]())
                        }
                        guard week.isoWeekday == 1 else {
                            throw HTTPError.badRequest(
                                "week_start must be a Monday, got \(week.iso)", code: .invalidParameter)
                        }
                        return (
                            week: Optional(week),
                            rows: try KPIReads.week(week, after: after, limit: limit + 1, connection)
                        )
                    }
                }
                let rows = Array(page.rows.prefix(limit))
                let next = page.rows.count > limit ? rows.last.map { [$0.userID] } : nil
                let extra = JSONObject([("week_start", .optional(page.week?.iso))])
                return .json(Paging.page(rows.map(\.json), nextCursor: next, extra: extra))
            }
        }
    }
}

/// One `weekly_kpi` row as the API shows it: the six KPIs (missing ones null) plus any other keys stages wrote.
struct KPIWeekRow {
    var userID: String
    var weekStart: Day
    var kpis: JSONObject
    var updatedAt: Timestamp

    var json: JSONValue {
        .object(
            JSONObject([
                ("user_id", .string(userID)), ("week_start", .string(weekStart.iso)), ("kpis", .object(kpis)),
                ("updated_at", .string(updatedAt.rfc3339)),
            ]))
    }

    /// The six KPI keys in their usual order, null where absent.
    var standardKPIs: JSONObject {
        JSONObject(["I_t", "E_t", "R_t", "A_t", "P", "S"].map { ($0, kpis[$0] ?? .null) })
    }

    init(row: PostgresRow) throws {
        userID = try row.decode(0)
        weekStart = try row.decode(1)
        kpis = try row.decode(2, as: JSONValue.self).objectValue ?? JSONObject()
        updatedAt = try row.decode(3)
    }
}

enum KPIReads {
    static func weeks(of user: String, limit: Int, pool: PostgresPool) throws -> [KPIWeekRow] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT user_id, week_start, kpis, updated_at FROM weekly_kpi
                WHERE user_id = $1 ORDER BY week_start DESC LIMIT $2
                """, [user, limit]
            ).rows.map(KPIWeekRow.init(row:))
        }
    }

    static func latestWeek(_ connection: PostgresConnection) throws -> Day? {
        try connection.query("SELECT max(week_start) FROM weekly_kpi")[0].decode(0)
    }

    static func week(_ week: Day, after: String?, limit: Int, _ connection: PostgresConnection) throws -> [KPIWeekRow] {
        try connection.query(
            """
            SELECT user_id, week_start, kpis, updated_at FROM weekly_kpi
            WHERE week_start = $1 AND ($2::text IS NULL OR user_id > $2) ORDER BY user_id LIMIT $3
            """, [week, after, limit]
        ).rows.map(KPIWeekRow.init(row:))
    }
}

/// Whether a learner id is known: any attempt, KPI week, activity row or ability.
enum LearnerLookup {
    static func exists(_ user: String, pool: PostgresPool) throws -> Bool {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM attempts WHERE user_id = $1)
                    OR EXISTS (SELECT 1 FROM weekly_kpi WHERE user_id = $1)
                    OR EXISTS (SELECT 1 FROM mirt_ability WHERE user_id = $1)
                """, [user]
            )[0].decode(0)
        }
    }

    static func unknown(_ user: String) -> HTTPError {
        HTTPError.notFound("unknown learner '\(user)'")
    }
}
