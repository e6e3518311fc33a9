import HTTPServer
import JSON
import Postgres
import UTCTime

/// `GET /v1/inactive-users`: learners the last detection found inactive, longest inactive first.
enum InactivityRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        router.get("/v1/inactive-users", headCheck: context.authenticator.check(.read)) { request in
            let query = QueryReader(request)
            let minimumDays = try query.int("min_days", default: 0, range: 0...36_500)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let cursor = try query.cursor(parts: 2)
            var afterDays: Int?
            if let cursor {
                guard let days = Int(cursor[0]) else {
                    throw HTTPError.badRequest("cursor is invalid", code: .invalidCursor)
                }
                afterDays = days
            }
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try connection.query(
                        """
                        SELECT user_id, last_active_at, inactive_since, days_inactive, status, detected_at, notified_at
                        FROM learner_activity
                        WHERE status = 'inactive' AND days_inactive >= $1
                          AND ($2::int4 IS NULL OR (days_inactive, user_id) < ($2, $3::text COLLATE "C"))
                        ORDER BY days_inactive DESC, user_id DESC LIMIT $4
                        """, [minimumDays, afterDays.map { Int32($0) }, cursor?[1], limit + 1]
                    ).rows
                }
            }
            var items: [JSONValue] = []
            var last: (days: Int, user: String)?
            for row in rows.prefix(limit) {
                let user: String = try row.decode(0)
                let days: Int = try row.decode(3)
                last = (days, user)
                items.append(
                    .object(
                        JSONObject([
                            ("user_id", .string(user)),
                            ("last_active_at", .string(try row.decode(1, as: Timestamp.self).rfc3339)),
                            ("inactive_since", .optional(try row.decode(2, as: Timestamp?.self)?.rfc3339)),
                            ("days_inactive", .int(Int64(days))), ("status", .string(try row.decode(4))),
                            ("detected_at", .string(try row.decode(5, as: Timestamp.self).rfc3339)),
                            ("notified_at", .optional(try row.decode(6, as: Timestamp?.self)?.rfc3339)),
                        ])))
            }
            let next = rows.count > limit ? last.map { [String($0.days), $0.user] } : nil
            return .json(Paging.page(items, nextCursor: next))
        }
    }
}
