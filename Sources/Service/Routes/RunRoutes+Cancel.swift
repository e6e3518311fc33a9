import Fields
import HTTPServer
import JSON
import Pipelines

/// `POST /v1/runs/{run_id}/cancel`: records a cancel request for a running run in the database, where the replica
/// that owns the run sees it within a quarter second (its run monitor); this replica's own runs are cancelled at once.
/// The run stops within 2 s, rolls back and is recorded `cancelled`, its error naming this request's id; its waiting
/// client gets a 409 `run_cancelled` with the record.
extension RunRoutes {
    static func registerCancel(on router: inout Router, context: ServiceContext) {
        router.post("/v1/runs/{run_id}/cancel", headCheck: context.authenticator.check(.admin)) { request in
            let id = try PathReader(request).positiveInt("run_id")
            let outcome = try withDatabase {
                try context.pool.withConnection { connection in
                    try context.runner.recordPendingOutcomes(on: connection)
                    return try RunStore.requestCancel(connection, runID: id, requestID: request.requestID)
                }
            }
            switch outcome {
            case .unknown:
                throw HTTPError.notFound("no run \(id)")
            case .finished(let record):
                return errorAnswer(
                    .conflict, code: .runFinished,
                    message: "run \(id) has already finished (\(record.status.rawValue)); nothing to cancel",
                    record: record, request: request)
            case .requested(let record):
                context.runner.cancelLocally(runID: id, requestID: request.requestID)
                return .json(record.json, status: .accepted)
            }
        }
    }

    /// The answer to a client that waited for a run that ended `cancelled`: 503 with `Retry-After` when the service
    /// shut down under it (another replica can run it), 409 when a cancel request stopped it (retrying would only
    /// start it again against someone's wish). Both `run_cancelled`, with the record.
    static func cancelledAnswer(_ record: RunRecord, request: HTTPRequest) -> HTTPResponse {
        let message = record.error ?? "the run was cancelled"
        guard record.error == PipelineRunner.shutdownReason else {
            return errorAnswer(.conflict, code: .runCancelled, message: message, record: record, request: request)
        }
        var response = errorAnswer(
            .serviceUnavailable, code: .runCancelled, message: message, record: record, request: request)
        response.headers.add("Retry-After", "30")
        return response
    }

    /// `{"error": {code, message, request_id}, "run": record}`.
    static func errorAnswer(
        _ status: HTTPStatus, code: ErrorCode, message: String, record: RunRecord, request: HTTPRequest
    ) -> HTTPResponse {
        let error = JSONObject([
            ("code", .string(code.rawValue)), ("message", .string(message)),
            ("request_id", .string(request.requestID)),
        ])
        return .json(.object(JSONObject([("error", .object(error)), ("run", record.json)])), status: status)
    }
}
