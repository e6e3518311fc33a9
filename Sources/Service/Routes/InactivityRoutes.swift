import HTTPServer
import JSON
import Pipelines
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
                guard let days = Int(cursor[0]) else { throw QueryReader.invalidCursor }
                afterDays = days
            }
            let after = cursor.flatMap { cursor in afterDays.map { (days: $0, userID: cursor[1]) } }
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try ActivityReads.inactive(minimumDays: minimumDays, after: after, limit: limit + 1, connection)
                }
            }
            let items = rows.prefix(limit).map { row -> JSONValue in
                .object(
                    JSONObject([
                        ("user_id", .string(row.userID)), ("last_active_at", .string(row.lastActiveAt.rfc3339)),
                        ("inactive_since", .optional(row.inactiveSince?.rfc3339)),
                        ("days_inactive", .int(Int64(row.daysInactive))), ("status", .string(row.status)),
                        ("detected_at", .string(row.detectedAt.rfc3339)),
                        ("notified_at", .optional(row.notifiedAt?.rfc3339)),
                    ]))
            }
            let last = rows.prefix(limit).last.map { (days: $0.daysInactive, user: $0.userID) }
            let next = rows.count > limit ? last.map { [String($0.days), $0.user] } : nil
            return .json(Paging.page(items, nextCursor: next))
        }
    }
}
