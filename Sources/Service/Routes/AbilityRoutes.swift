import HTTPServer
import IRT
import JSON
import Pipelines
import Postgres
import UTCTime

/// Learner abilities: one learner's latest estimate with its history, all learners' latest (paged), and the online
/// estimate that scores a pattern without writing.
enum AbilityRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let read = context.authenticator.check(.read)
        router.get("/v1/users/{user_id}/ability", headCheck: read) { request in
            let user = try PathReader(request).identifier("user_id")
            let query = QueryReader(request)
            let historyLimit = try query.int("history", default: 20, range: 0...500)
            let version = try query.identifier("version")
            let body = try withDatabase {
                try context.pool.withConnection { connection in
                    try ability(of: user, version: version, historyLimit: historyLimit, connection)
                }
            }
            guard let body else { throw HTTPError.notFound("no ability estimate for learner '\(user)'") }
            return .json(body)
        }
        router.get("/v1/abilities", headCheck: read) { request in
            let query = QueryReader(request)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let after = try query.cursor(parts: 1)?.first
            let version = try query.identifier("version")
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try AbilityReads.latest(version: version, after: after, limit: limit + 1, connection).map(
                        abilityJSON)
                }
            }
            let page = Array(rows.prefix(limit))
            let lastUser = page.last.flatMap { $0["user_id"]?.stringValue }
            let next = rows.count > limit ? lastUser.map { [$0] } : nil
            return .json(Paging.page(page, nextCursor: next))
        }
        router.post("/v1/users/{user_id}/ability/estimate", headCheck: context.authenticator.check(.admin)) { request in
            try estimate(request, context: context)
        }
    }

    static func abilityJSON(_ row: AbilityRow) -> JSONValue {
        .object(
            JSONObject([
                ("user_id", .string(row.userID)), ("theta", .double(row.theta)), ("se", .double(row.se)),
                ("model", .string(row.model)), ("version", .string(row.version)),
                ("as_of", .string(row.asOf.iso)), ("fitted_at", .string(row.fittedAt.rfc3339)),
                ("run_id", .int(row.runID)),
            ]))
    }

    static func ability(of user: String, version: String?, historyLimit: Int, _ connection: PostgresConnection) throws
        -> JSONValue?
    {
        guard let latest = try AbilityReads.latest(of: user, version: version, connection),
            var object = abilityJSON(latest).objectValue
        else { return nil }
        let history = try AbilityReads.history(of: user, version: latest.version, limit: historyLimit, connection)
        object["history"] = .array(
            history.map { row in
                .object(
                    JSONObject([
                        ("theta", .double(row.theta)), ("se", .double(row.se)), ("as_of", .string(row.asOf.iso)),
                        ("fitted_at", .string(row.fittedAt.rfc3339)), ("run_id", .int(row.runID)),
                    ]))
            })
        return .object(object)
    }
}
