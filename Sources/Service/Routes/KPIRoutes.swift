import HTTPServer
import JSON
import Pipelines
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
                let asked = try query.weekStart("week_start")
                let page = try withDatabase {
                    try context.pool.withConnection { connection in
                        guard let week = try asked ?? KPIReads.latestWeek(connection) else {
                            return (week: Day?.none, rows: [KPIWeekRow]())
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

extension KPIWeekRow {
    /// The row as the API shows it: the KPIs as stored (missing ones absent), the day they were computed as of and
    /// whether that completes the week (as of its Sunday).
    var json: JSONValue {
        .object(
            JSONObject([
                ("user_id", .string(userID)), ("week_start", .string(weekStart.iso)), ("kpis", .object(kpis)),
                ("as_of", .string(asOf.iso)), ("complete", .bool(complete)), ("updated_at", .string(updatedAt.rfc3339)),
            ]))
    }
}

/// Whether a learner id is known: any attempt, KPI week or ability.
enum LearnerLookup {
    static func exists(_ user: String, pool: PostgresPool) throws -> Bool {
        try pool.withConnection { connection in try LearnerReads.exists(user, connection) }
    }

    static func unknown(_ user: String) -> HTTPError {
        HTTPError.notFound("unknown learner '\(user)'")
    }
}
