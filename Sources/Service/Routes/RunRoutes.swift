import Fields
import HTTPServer
import JSON
import Pipelines
import Postgres
import UTCTime

/// `POST /v1/pipelines/{stage}` starts a run (waiting for it unless `?wait=false`); `GET /v1/runs` and
/// `GET /v1/runs/{run_id}` read the run records.
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
        } catch {
            throw HTTPError(error)
        }
        stageRequest.traceID = request.traceParent?.traceID
        let handle: RunHandle
        do {
            handle = try withDatabase { try context.runner.start(stageRequest) }
        } catch let error as FieldError {
            throw HTTPError(error)
        } catch let stopping as RunnerStoppingError {
            throw HTTPError(
                .serviceUnavailable, code: .serviceStopping, message: stopping.description,
                headers: HTTPHeaders([("Retry-After", "5")]))
        } catch let conflict as RunConflictError {
            throw HTTPError(
                .conflict, code: .runInProgress, message: conflict.description,
                details: JSONObject([("running_run_id", conflict.runningRunID.map { .int($0) } ?? .null)]))
        }
        guard wait else {
            var response = HTTPResponse.json(handle.record.json, status: .accepted)
            response.headers.add("Location", "/v1/runs/\(handle.runID)")
            return response
        }
        let record = handle.wait()
        if record.status == .cancelled {
            let error = JSONObject([
                ("code", .string(ErrorCode.runCancelled.rawValue)),
                ("message", .string(record.error ?? "the run was cancelled")),
                ("request_id", .string(request.requestID)),
            ])
            var response = HTTPResponse.json(
                .object(JSONObject([("error", .object(error)), ("run", record.json)])), status: .serviceUnavailable)
            response.headers.add("Retry-After", "30")
            return response
        }
        guard record.status == .failed else { return .json(record.json) }
        // Too little data for the run is the data's fault, not the server's: 422, with the failed run's record.
        let unprocessable = handle.failedForInsufficientData
        let error = JSONObject([
            ("code", .string((unprocessable ? ErrorCode.insufficientData : ErrorCode.runFailed).rawValue)),
            ("message", .string(record.error ?? "the run failed")), ("request_id", .string(request.requestID)),
        ])
        return .json(
            .object(JSONObject([("error", .object(error)), ("run", record.json)])),
            status: unprocessable ? .unprocessableContent : .internalServerError)
    }
}
