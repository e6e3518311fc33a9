import HTTPServer
import JSON
import Pipelines
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
                    try FeatureReads.features(of: user, from: from, to: to, topic: topic, connection).map(featureJSON)
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

    static func featureJSON(_ row: TopicDayFeatures) -> JSONValue {
        .object(
            JSONObject([
                ("topic_id", row.topicID.isEmpty ? .null : .string(row.topicID)), ("date", .string(row.date.iso)),
                ("attempts", .int(row.attempts)), ("correct", .int(row.correct)),
                ("avg_time_ms", .number(row.averageTimeMs)), ("rt_median", .number(row.medianTimeMs)),
                ("hints", .int(row.hints)), ("theta_estimate", .number(row.thetaEstimate)),
                ("theta_sd", .number(row.thetaSD)), ("improvement", .number(row.improvement)),
                ("last_seen_at", .string(row.lastSeenAt.rfc3339)), ("computed_at", .string(row.computedAt.rfc3339)),
            ]))
    }
}
