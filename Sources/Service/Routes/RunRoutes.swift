import Fields
import HTTPServer
import JSON
import Pipelines
import Postgres
import UTCTime

/// `POST /v1/pipelines/{stage}` starts a run (waiting for it unless `?wait=false`); `GET /v1/runs` and
/// `GET /v1/runs/{run_id}` read the run records; `POST /v1/runs/{run_id}/cancel` cancels a run (RunRoutes+Cancel).
enum RunRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        router.post("/v1/pipelines/{stage}", longRunning: true, headCheck: context.authenticator.check(.admin)) {
            request in
            try trigger(request, context: context)
        }
        let read = context.authenticator.check(.read)
        router.get("/v1/runs", headCheck: read) { request in
            let query = QueryReader(request)
            let stage = try query.oneOf("stage", Stage.allCases.map(\.rawValue))
            let status = try query.oneOf("status", ["running", "succeeded", "failed", "cancelled"])
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let before = try query.cursor(parts: 1).map { parts throws(HTTPError) -> Int64 in
                guard let id = Int64(parts[0]) else { throw QueryReader.invalidCursor }
                return id
            }
            let runs = try withDatabase {
                try context.pool.withConnection { connection in
                    try context.runner.recordPendingOutcomes(on: connection)
                    return try RunStore.list(connection, stage: stage, status: status, limit: limit + 1, before: before)
                }
            }
            let page = Array(runs.prefix(limit))
            let next = runs.count > limit ? page.last.map { [String($0.runID)] } : nil
            return .json(Paging.page(page.map(\.json), key: "runs", nextCursor: next))
        }
        router.get("/v1/runs/{run_id}", headCheck: read) { request in
            let id = try PathReader(request).positiveInt("run_id")
            let record = try withDatabase {
                try context.pool.withConnection { connection in
                    try context.runner.recordPendingOutcomes(on: connection)
                    return try RunStore.get(connection, runID: id)
                }
            }
            guard let record else { throw HTTPError.notFound("no run \(id)") }
            return .json(record.json)
        }
        registerCancel(on: &router, context: context)
    }

    static func trigger(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let name = request.pathParameters["stage"] ?? ""
        guard let stage = Stage(rawValue: name) else {
            throw HTTPError.notFound(
                "unknown stage '\(name)'; stages are \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let wait = try QueryReader(request).bool("wait", default: true)
        let body = try RequestBody.object(request)
        var stageRequest: StageRequest
        do {
            stageRequest = try StageRequest.parse(stage: stage, body: body, today: Day.today())
            stageRequest.idempotencyKey = try idempotencyKey(request)
        } catch {
            throw HTTPError(error)
        }
        stageRequest.traceID = request.traceParent?.traceID
        let handle: RunHandle
        do {
            handle = try withDatabase { try context.runner.start(stageRequest) }
        } catch let error as FieldError {
            throw HTTPError(error)
        } catch let replay as IdempotentReplayError {
            return try replayed(replay.runID, wait: wait, request: request, context: context)
        } catch let reused as IdempotencyKeyReusedError {
            throw HTTPError(
                .unprocessableContent, code: .idempotencyKeyReused, message: reused.description,
                details: JSONObject([("run_id", .int(reused.targetID))]))
        } catch let stopping as RunnerStoppingError {
            throw HTTPError(stopping)
        } catch let conflict as RunConflictError {
            throw HTTPError(
                .conflict, code: .runInProgress, message: conflict.description,
                details: JSONObject([("running_run_id", conflict.runningRunID.map { .int($0) } ?? .null)]))
        }
        guard wait else { return accepted(handle.record) }
        return answer(handle.wait(), insufficientData: handle.failedForInsufficientData, request: request)
    }

    /// 202 with `Location: /v1/runs/{id}` and the record as it stands.
    static func accepted(_ record: RunRecord) -> HTTPResponse {
        var response = HTTPResponse.json(record.json, status: .accepted)
        response.headers.add("Location", "/v1/runs/\(record.runID)")
        return response
    }

    /// The answer for a run the client waited for: 200 with the record when it succeeded, else an error carrying it.
    static func answer(_ record: RunRecord, insufficientData: Bool, request: HTTPRequest) -> HTTPResponse {
        if record.status == .cancelled { return cancelledAnswer(record, request: request) }
        guard record.status == .failed else { return .json(record.json) }
        // Too little data for the run is the data's fault, not the server's: 422, with the failed run's record.
        return errorAnswer(
            insufficientData ? .unprocessableContent : .internalServerError,
            code: insufficientData ? .insufficientData : .runFailed, message: record.error ?? "the run failed",
            record: record, request: request)
    }
}
