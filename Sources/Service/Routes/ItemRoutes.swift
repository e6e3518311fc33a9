import Foundation
import HTTPServer
import JSON
import Postgres
import UTCTime

/// Items with their latest calibrated parameters and history, and the calibrations' fit metadata.
enum ItemRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let read = context.authenticator.check(.read)
        router.get("/v1/items/{item_id}", headCheck: read) { request in
            let item = try PathReader(request).identifier("item_id")
            let historyLimit = try QueryReader(request).int("history", default: 20, range: 0...500)
            let body = try withDatabase {
                try context.pool.withConnection { connection in try detail(item, historyLimit: historyLimit, connection)
                }
            }
            guard let body else { throw HTTPError.notFound("unknown item '\(item)'") }
            return .json(body)
        }
        router.get("/v1/items/{item_id}/plot", headCheck: read) { request in
            let item = try PathReader(request).identifier("item_id")
            let body = try withDatabase {
                try context.pool.withConnection { connection in try detail(item, historyLimit: 0, connection) }
            }
            guard let body else { throw HTTPError.notFound("unknown item '\(item)'") }
            guard let svg = ItemPlot.svg(body) else { throw HTTPError.notFound("item '\(item)' has no parameters yet") }
            return .text(svg, contentType: "image/svg+xml")
        }
        router.get("/v1/items", headCheck: read) { request in
            let query = QueryReader(request)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let after = try query.cursor(parts: 1)?.first
            let topic = try query.identifier("topic_id")
            let flagged = try query.bool("flagged", default: false)
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try connection.query(
                        "\(listing) WHERE ($1::text IS NULL OR i.topic_id = $1) AND ($2::text IS NULL OR k.item_id > $2) "
                            + "AND (NOT $4::bool OR COALESCE((p.params->'fit'->>'flagged')::boolean, false)) "
                            + "ORDER BY k.item_id LIMIT $3", [topic, after, limit + 1, flagged]
                    ).rows.map(itemJSON)
                }
            }
            let page = Array(rows.prefix(limit))
            let lastItem = page.last.flatMap { $0["item_id"]?.stringValue }
            let next = rows.count > limit ? lastItem.map { [$0] } : nil
            return .json(Paging.page(page, nextCursor: next))
        }
        CalibrationRoutes.register(on: &router, context: context, read: read)
    }

    /// Every known item (in `items` or calibrated) with its topic, anchor flag and most recent parameters.
    static let listing = """
        SELECT k.item_id, i.topic_id, COALESCE(i.anchor, false), p.model, p.params, p.version, p.n_responses,
            p.fitted_at, p.run_id, i.a, i.b, i.c
        FROM (SELECT item_id FROM items UNION SELECT item_id FROM mirt_item_params) k
        LEFT JOIN items i ON i.item_id = k.item_id
        LEFT JOIN LATERAL (
            SELECT * FROM mirt_item_params m WHERE m.item_id = k.item_id ORDER BY m.fitted_at DESC LIMIT 1
        ) p ON true
        """

    static func itemJSON(_ row: PostgresRow) throws -> JSONValue {
        let anchor: Bool = try row.decode(2)
        var params = try row.decode(4, as: JSONValue?.self) ?? .null
        if params.isNull, let a: Double = try row.decode(9), let b: Double = try row.decode(10) {
            // Not calibrated yet: the stored (anchor) parameters, without standard errors.
            params = [
                "a": .double(a), "b": .double(b), "c": .double(try row.decode(11) ?? 0), "se_a": .null, "se_b": .null,
                "se_c": .null,
            ]
        }
        return .object(
            JSONObject([
                ("item_id", .string(try row.decode(0))), ("topic_id", .optional(try row.decode(1))),
                ("model", .optional(try row.decode(3))), ("params", params), ("version", .optional(try row.decode(5))),
                ("n_responses", (try row.decode(6, as: Int?.self)).map { .int(Int64($0)) } ?? .null),
                ("fitted_at", .optional(try row.decode(7, as: Timestamp?.self)?.rfc3339)),
                ("run_id", (try row.decode(8, as: Int64?.self)).map { .int($0) } ?? .null), ("anchor", .bool(anchor)),
            ]))
    }

    static func detail(_ item: String, historyLimit: Int, _ connection: PostgresConnection) throws -> JSONValue? {
        let result = try connection.query("\(listing) WHERE k.item_id = $1", [item])
        guard result.rowCount > 0, var object = try itemJSON(result[0]).objectValue else { return nil }
        let path = item.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? item
        object["plot"] = .string("/v1/items/\(path)/plot")
        object["history"] = .array(
            try connection.query(
                """
                SELECT model, params, version, n_responses, fitted_at, run_id FROM mirt_item_params_history
                WHERE item_id = $1 ORDER BY fitted_at DESC, run_id DESC LIMIT $2
                """, [item, historyLimit]
            ).rows.map { row -> JSONValue in
                .object(
                    JSONObject([
                        ("model", .string(try row.decode(0))), ("params", try row.decode(1, as: JSONValue.self)),
                        ("version", .string(try row.decode(2))), ("n_responses", .int(try row.decode(3))),
                        ("fitted_at", .string(try row.decode(4, as: Timestamp.self).rfc3339)),
                        ("run_id", .int(try row.decode(5))),
                    ]))
            })
        return .object(object)
    }
}

/// `GET /v1/calibrations` and `GET /v1/calibrations/{run_id}`: the fit metadata of each calibration.
enum CalibrationRoutes {
    static func register(on router: inout Router, context: ServiceContext, read: HeadCheck?) {
        router.get("/v1/calibrations", headCheck: read) { request in
            let query = QueryReader(request)
            let limit = try query.int("limit", default: 20, range: 1...200)
            let before = try query.cursor(parts: 1).flatMap { Int64($0[0]) }
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try connection.query(
                        """
                        SELECT run_id, fitted_at, model_spec, metrics FROM mirt_fit_meta
                        WHERE ($1::int8 IS NULL OR run_id < $1) ORDER BY run_id DESC LIMIT $2
                        """, [before, limit + 1]
                    ).rows.map(calibrationJSON)
                }
            }
            let page = Array(rows.prefix(limit))
            let lastRun = page.last.flatMap { $0["run_id"]?.intValue }
            let next = rows.count > limit ? lastRun.map { [String($0)] } : nil
            return .json(Paging.page(page, key: "calibrations", nextCursor: next))
        }
        router.get("/v1/calibrations/{run_id}", headCheck: read) { request in
            let id = try PathReader(request).positiveInt("run_id")
            let row: JSONValue? = try withDatabase {
                try context.pool.withConnection { connection -> JSONValue? in
                    let result = try connection.query(
                        "SELECT run_id, fitted_at, model_spec, metrics FROM mirt_fit_meta WHERE run_id = $1", [id])
                    return result.rowCount > 0 ? try calibrationJSON(result[0]) : nil
                }
            }
            guard let row else { throw HTTPError.notFound("no calibration with run_id \(id)") }
            return .json(row)
        }
    }

    static func calibrationJSON(_ row: PostgresRow) throws -> JSONValue {
        .object(
            JSONObject([
                ("run_id", .int(try row.decode(0))),
                ("fitted_at", .string(try row.decode(1, as: Timestamp.self).rfc3339)),
                ("model_spec", try row.decode(2, as: JSONValue.self)),
                ("metrics", try row.decode(3, as: JSONValue.self)),
            ]))
    }
}
