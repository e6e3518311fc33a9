import Fields
import HTTPServer
import Pipelines

/// Retry-safe triggers: a trigger may carry an `Idempotency-Key`; a retry with the same key and parameters within
/// 24 h joins the run the key started (on any replica) instead of starting another.
extension RunRoutes {
    /// The request's `Idempotency-Key`, nil when absent; a 400 naming the header when malformed or repeated.
    static func idempotencyKey(_ request: HTTPRequest) throws(FieldError) -> String? {
        let values = request.headers.values(IdempotencyKeys.header)
        guard let value = values.first else { return nil }
        guard values.count == 1 else {
            throw FieldError(field: IdempotencyKeys.header, message: "\(IdempotencyKeys.header) must be sent once")
        }
        return try IdempotencyKeys.validated(value)
    }

    /// The answer to a retried trigger: the original run's, as its own trigger would have answered (202 at once with
    /// `wait=false`, else once the run has finished, waiting for it if it is still going).
    static func replayed(_ runID: Int64, wait: Bool, request: HTTPRequest, context: ServiceContext) throws
        -> HTTPResponse
    {
        guard wait else {
            let record = try withDatabase {
                try context.pool.withConnection { connection in try RunStore.get(connection, runID: runID) }
            }
            guard let record else { throw HTTPError.notFound("no run \(runID)") }
            return accepted(record)
        }
        guard let outcome = try withDatabase({ try context.runner.awaitRun(runID: runID, pool: context.pool) }) else {
            throw HTTPError.notFound("no run \(runID)")
        }
        // Shutdown began while the run was still going: the run goes on elsewhere; the client may retry.
        guard outcome.record.status != .running else {
            throw HTTPError(
                .serviceUnavailable, code: .serviceStopping,
                message: "the service is stopping; run \(runID) is still running, retry with the same key",
                headers: HTTPHeaders([("Retry-After", "5")]))
        }
        return answer(outcome.record, insufficientData: outcome.insufficientData, request: request)
    }
}
