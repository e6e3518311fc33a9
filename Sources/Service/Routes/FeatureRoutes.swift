import HTTPServer
import JSON
import Postgres
import UTCTime

/// `GET /v1/users/{user_id}/features`: the learner's per-topic daily features, newest day first.
enum FeatureRoutes {
    static let maximumDays = 366

    static func register(on router: inout Router, context: ServiceContext) {
        router.get("/v1/users/{user_id}/features", headCheck: context.authenticator.check(.read)) { request in
            let user = try PathReader(request).identifier("user_id")
            let query = QueryReader(request)
            let to = try query.day("to") ?? Day.today()
            let from = try query.day("from") ?? to.advanced(by: -29)
            guard from <= to else { throw HTTPError.badRequest("from must not be after to", code: .invalidParameter) }
            guard from.distance(to: to) < maximumDays else {
                throw HTTPError.badRequest("from…to may span at most \(maximumDays) days", code: .invalidParameter)
            }
            let topic = try query.identifier("topic_id")
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try connection.query(
                        """
                        SELECT topic_id, date, attempts, correct, avg_time_ms, rt_median, hints, theta_estimate,
                            theta_sd, improvement, last_seen_at, computed_at
                        FROM features_topic_daily
                        WHERE user_id = $1 AND date >= $2 AND date <= $3 AND ($4::text IS NULL OR topic_id = $4)
                        ORDER BY date DESC, topic_id
                        """, [user, from, to, topic]
                    ).rows.map(featureJSON)
                }
            }
            if rows.isEmpty, try !withDatabase({ try LearnerLookup.exists(user, pool: context.pool) }) {
                throw LearnerLookup.unknown(user)
            }
            return .json(
                .object(
                    JSONObject([
                        ("user_id", .string(user)), ("from", .string(from.iso)), ("to", .string(to.iso)),
                        ("features", .array(rows)),
                    ])))
        }
    }

    static func featureJSON(_ row: PostgresRow) throws -> JSONValue {
        let topic: String = try row.decode(0)
        return .object(
            JSONObject([
                ("topic_id", topic.isEmpty ? .null : .string(topic)),
                ("date", .string(try row.decode(1, as: Day.self).iso)),
                ("attempts", .int(try row.decode(2))), ("correct", .int(try row.decode(3))),
                ("avg_time_ms", .number(try row.decode(4))), ("rt_median", .number(try row.decode(5))),
                ("hints", .int(try row.decode(6))), ("theta_estimate", .number(try row.decode(7))),
                ("theta_sd", .number(try row.decode(8))), ("improvement", .number(try row.decode(9))),
                ("last_seen_at", .string(try row.decode(10, as: Timestamp.self).rfc3339)),
                ("computed_at", .string(try row.decode(11, as: Timestamp.self).rfc3339)),
            ]))
    }
}
