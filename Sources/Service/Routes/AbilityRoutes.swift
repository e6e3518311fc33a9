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
                    try connection.query(
                        """
                        SELECT user_id, theta, se, model, version, fitted_at, run_id FROM (
                            SELECT DISTINCT ON (user_id) * FROM mirt_ability
                            WHERE ($1::text IS NULL OR version = $1) AND ($2::text IS NULL OR user_id > $2)
                            ORDER BY user_id, fitted_at DESC
                        ) latest ORDER BY user_id LIMIT $3
                        """, [version, after, limit + 1]
                    ).rows.map(abilityJSON)
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

    static func abilityJSON(_ row: PostgresRow) throws -> JSONValue {
        .object(
            JSONObject([
                ("user_id", .string(try row.decode(0))), ("theta", .double(try row.decode(1))),
                ("se", .double(try row.decode(2))), ("model", .string(try row.decode(3))),
                ("version", .string(try row.decode(4))),
                ("fitted_at", .string(try row.decode(5, as: Timestamp.self).rfc3339)),
                ("run_id", .int(try row.decode(6))),
            ]))
    }

    static func ability(of user: String, version: String?, historyLimit: Int, _ connection: PostgresConnection) throws
        -> JSONValue?
    {
        let latest = try connection.query(
            """
            SELECT user_id, theta, se, model, version, fitted_at, run_id FROM mirt_ability
            WHERE user_id = $1 AND ($2::text IS NULL OR version = $2) ORDER BY fitted_at DESC LIMIT 1
            """, [user, version])
        guard latest.rowCount > 0, var object = try abilityJSON(latest[0]).objectValue else { return nil }
        let history = try connection.query(
            """
            SELECT theta, se, fitted_at, run_id FROM mirt_ability_history
            WHERE user_id = $1 AND version = $2 ORDER BY fitted_at DESC, run_id DESC LIMIT $3
            """, [user, object["version"]?.stringValue ?? "", historyLimit]
        ).rows.map { row -> JSONValue in
            .object(
                JSONObject([
                    ("theta", .double(try row.decode(0))), ("se", .double(try row.decode(1))),
                    ("fitted_at", .string(try row.decode(2, as: Timestamp.self).rfc3339)),
                    ("run_id", .int(try row.decode(3))),
                ]))
        }
        object["history"] = .array(history)
        return .object(object)
    }
}
