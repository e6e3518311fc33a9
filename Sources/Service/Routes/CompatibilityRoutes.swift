import HTTPServer
import JSON
import Pipelines

/// The old system's weekly metrics route, kept so that existing dashboards keep working:
/// `GET /api/seedtest/analysis/metrics/weekly?user_id=&weeks=&include_empty=` answers
/// `[{"user_id","week_start","kpis":{"I_t","E_t","R_t","A_t","P","S"},"as_of","complete"}]` newest first; `weeks` is clamped to 1…12;
/// no weeks is 404 unless `include_empty=true`, then `[]`. Guarded by the read token like /v1.
enum CompatibilityRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let cache = context.cache
        router.get(
            "/api/seedtest/analysis/metrics/weekly", headCheck: context.authenticator.check(.read),
            fastPath: cache.fastPath
        ) { request in try cache.caching(request) { try legacyWeeks(request, context: context) } }
    }

    static func legacyWeeks(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let query = QueryReader(request)
        let user = try query.requiredIdentifier("user_id")
        let weeks = try query.clampedInt("weeks", default: 4, range: 1...12)
        let includeEmpty = try query.bool("include_empty", default: false)
        let rows = try withDatabase { try KPIReads.weeks(of: user, limit: weeks, pool: context.pool) }
        if rows.isEmpty && !includeEmpty {
            throw HTTPError.notFound("no weekly metrics for user '\(user)'")
        }
        return .json(
            .array(
                rows.map { row in
                    .object(
                        JSONObject([
                            ("user_id", .string(row.userID)), ("week_start", .string(row.weekStart.iso)),
                            ("kpis", .object(row.standardKPIs)), ("as_of", .string(row.asOf.iso)),
                            ("complete", .bool(row.complete)),
                        ]))
                }))
    }
}
