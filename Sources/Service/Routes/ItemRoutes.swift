import Foundation
import HTTPServer
import JSON
import Pipelines
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
                    try ItemReads.items(
                        topic: topic, after: after, limit: limit + 1, flaggedOnly: flagged, connection
                    ).map(itemJSON)
                }
            }
            let page = Array(rows.prefix(limit))
            let lastItem = page.last.flatMap { $0["item_id"]?.stringValue }
            let next = rows.count > limit ? lastItem.map { [$0] } : nil
            return .json(Paging.page(page, nextCursor: next))
        }
        CalibrationRoutes.register(on: &router, context: context, read: read)
    }

    static func itemJSON(_ item: ItemRow) -> JSONValue {
        var params = item.params ?? .null
        if params.isNull, let a = item.a, let b = item.b {
            // Not calibrated yet: the stored (anchor) parameters, without standard errors.
            params = [
                "a": .double(a), "b": .double(b), "c": .double(item.c ?? 0), "se_a": .null, "se_b": .null,
                "se_c": .null,
            ]
        }
        return .object(
            JSONObject([
                ("item_id", .string(item.itemID)), ("topic_id", .optional(item.topicID)),
                ("model", .optional(item.model)), ("params", params), ("version", .optional(item.version)),
                ("n_responses", item.responseCount.map { .int(Int64($0)) } ?? .null),
                ("as_of", .optional(item.asOf?.iso)), ("fitted_at", .optional(item.fittedAt?.rfc3339)),
                ("run_id", item.runID.map { .int($0) } ?? .null), ("anchor", .bool(item.anchor)),
            ]))
    }

    static func detail(_ id: String, historyLimit: Int, _ connection: PostgresConnection) throws -> JSONValue? {
        guard let item = try ItemReads.item(id, connection), var object = itemJSON(item).objectValue else {
            return nil
        }
        let path = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        object["plot"] = .string("/v1/items/\(path)/plot")
        object["history"] = .array(
            try ItemReads.history(of: id, limit: historyLimit, connection).map { row -> JSONValue in
                .object(
                    JSONObject([
                        ("model", .string(row.model)), ("params", row.params), ("version", .string(row.version)),
                        ("n_responses", .int(row.responseCount)), ("as_of", .string(row.asOf.iso)),
                        ("fitted_at", .string(row.fittedAt.rfc3339)), ("run_id", .int(row.runID)),
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
            let before = try query.cursor(parts: 1).map { parts throws(HTTPError) -> Int64 in
                guard let id = Int64(parts[0]) else { throw QueryReader.invalidCursor }
                return id
            }
            let rows = try withDatabase {
                try context.pool.withConnection { connection in
                    try CalibrationReads.calibrations(before: before, limit: limit + 1, connection).map(calibrationJSON)
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
                try context.pool.withConnection { connection in
                    try CalibrationReads.calibration(runID: id, connection).map(calibrationJSON)
                }
            }
            guard let row else { throw HTTPError.notFound("no calibration with run_id \(id)") }
            return .json(row)
        }
    }

    static func calibrationJSON(_ row: CalibrationRow) -> JSONValue {
        .object(
            JSONObject([
                ("run_id", .int(row.runID)), ("fitted_at", .string(row.fittedAt.rfc3339)),
                ("model_spec", row.modelSpec), ("metrics", row.metrics),
            ]))
    }
}
