import HTTPServer
import Pipelines

extension HTTPError {
    /// A trigger or backfill that arrived after shutdown began: 503 `service_stopping`, to be retried on another
    /// replica after `Retry-After`.
    init(_ stopping: RunnerStoppingError) {
        self.init(
            .serviceUnavailable, code: .serviceStopping, message: stopping.description,
            headers: HTTPHeaders([("Retry-After", "5")]))
    }
}
