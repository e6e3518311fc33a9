import Fields
import HTTPServer
import JSON
import Pipelines
import Postgres
import UTCTime

/// `POST /v1/backfills` starts a backfill (answering 202 at once), `GET /v1/backfills` and
/// `GET /v1/backfills/{backfill_id}` read them, `POST /v1/backfills/{backfill_id}/cancel` stops one.
enum BackfillRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let admin = context.authenticator.check(.admin)
        let read = context.authenticator.check(.read)
        router.post("/v1/backfills", headCheck: admin) { request in
            try start(request, context: context)
        }
        router.get("/v1/backfills", headCheck: read) { request in
            let query = QueryReader(request)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let before = try query.cursor(parts: 1).map { parts throws(HTTPError) -> Int64 in
                guard let id = Int64(parts[0]) else { throw QueryReader.invalidCursor }
                return id
            }
            let backfills = try withDatabase {
                try context.pool.withConnection { connection in
                    try BackfillStore.list(connection, limit: limit + 1, before: before)
                }
            }
            let page = Array(backfills.prefix(limit))
            let next = backfills.count > limit ? page.last.map { [String($0.backfillID)] } : nil
            return .json(Paging.page(page.map(\.json), key: "backfills", nextCursor: next))
        }
        router.get("/v1/backfills/{backfill_id}", headCheck: read) { request in
            let id = try PathReader(request).positiveInt("backfill_id")
            let record = try withDatabase {
                try context.pool.withConnection { connection in try BackfillStore.get(connection, backfillID: id) }
            }
            guard let record else { throw HTTPError.notFound("no backfill \(id)") }
            return .json(record.json)
        }
        router.post("/v1/backfills/{backfill_id}/cancel", headCheck: admin) { request in
            let id = try PathReader(request).positiveInt("backfill_id")
            let outcome = try withDatabase {
                try context.pool.withConnection { connection in
                    try BackfillStore.requestCancel(connection, backfillID: id, requestID: request.requestID)
                }
            }
            switch outcome {
            case .requested(let record):
                var response = HTTPResponse.json(record.json, status: .accepted)
                response.headers.add("Location", "/v1/backfills/\(id)")
                return response
            case .finished(let record):
                throw HTTPError(
                    .conflict, code: .backfillFinished,
                    message: "backfill \(id) has already finished (\(record.status.rawValue)); nothing to cancel",
                    details: JSONObject([("backfill", record.json)]))
            case .unknown:
                throw HTTPError.notFound("no backfill \(id)")
            }
        }
    }

    /// Validates the body, starts the backfill and answers 202 with its record.
    static func start(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let body = try RequestBody.object(request)
        var backfill: BackfillRequest
        do {
            backfill = try BackfillRequest.parse(body: body, today: Day.today())
            backfill.idempotencyKey = try RunRoutes.idempotencyKey(request)
        } catch {
            throw HTTPError(error)
        }
        let handle: BackfillHandle
        do {
            handle = try withDatabase { try context.backfiller.start(backfill) }
        } catch let error as FieldError {
            throw HTTPError(error)
        } catch let replay as BackfillReplayError {
            let record = try withDatabase {
                try context.pool.withConnection { try BackfillStore.get($0, backfillID: replay.backfillID) }
            }
            guard let record else { throw HTTPError.notFound("no backfill \(replay.backfillID)") }
            var response = HTTPResponse.json(record.json, status: .accepted)
            response.headers.add("Location", "/v1/backfills/\(record.backfillID)")
            return response
        } catch let reused as IdempotencyKeyReusedError {
            throw HTTPError(
                .unprocessableContent, code: .idempotencyKeyReused, message: reused.description,
                details: JSONObject([("backfill_id", .int(reused.targetID))]))
        } catch let stopping as RunnerStoppingError {
            throw HTTPError(stopping)
        } catch let conflict as BackfillConflictError {
            throw HTTPError(
                .conflict, code: .backfillInProgress, message: conflict.description,
                details: JSONObject([("running_backfill_id", conflict.runningBackfillID.map { .int($0) } ?? .null)]))
        }
        var response = HTTPResponse.json(handle.record.json, status: .accepted)
        response.headers.add("Location", "/v1/backfills/\(handle.backfillID)")
        return response
    }
}
