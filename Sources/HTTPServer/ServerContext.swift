import Logging
import Synchronization

/// What every event loop and worker of one server shares: configuration, routes, the worker pool, counters.
final class ServerContext: Sendable {
    let configuration: HTTPServer.Configuration
    let router: Router
    let logger: Logger
    let pool: WorkerPool
    let longPool: WorkerPool
    /// Runs health probes (`Route.isProbe`), never queued behind stuck workers.
    let probePool: WorkerPool
    let serializer: ResponseSerializer
    let statistics: ServerStatistics
    let draining = Atomic<Bool>(false)

    init(configuration: HTTPServer.Configuration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.statistics = configuration.statistics
        self.pool = WorkerPool(
            threads: configuration.workerThreads, capacity: configuration.workerQueueCapacity, name: "http-worker")
        self.longPool = WorkerPool(
            threads: configuration.longRunningWorkerThreads, capacity: configuration.workerQueueCapacity,
            name: "http-long")
        self.probePool = WorkerPool(threads: 2, capacity: 16, name: "http-probe")
        self.serializer = ResponseSerializer(compressionThreshold: configuration.compressionThreshold)
    }

    /// Runs a handler and turns whatever it throws into a response: `HTTPError`s as they are, anything else as an
    /// opaque 500 that names only the request id, with the detail logged.
    func respond(to request: HTTPRequest, route: Route) -> HTTPResponse {
        do {
            return try route.handler(request)
        } catch let error as HTTPError {
            if error.status.code >= 500 {
                logger.error(
                    "request failed",
                    metadata: ["request_id": "\(request.requestID)", "route": "\(route.template)", "error": "\(error)"])
            }
            return configuration.renderError(error, request.requestID)
        } catch {
            logger.error(
                "unhandled error",
                metadata: [
                    "request_id": "\(request.requestID)", "route": "\(route.template)",
                    "error": "\(String(reflecting: error))",
                ])
            let opaque = HTTPError(
                .internalServerError, code: .internalError,
                message: "internal error; quote request id \(request.requestID) when reporting it")
            return configuration.renderError(opaque, request.requestID)
        }
    }

    /// Serialises a handler's response and writes the access-log line.
    func finish(
        _ response: HTTPResponse, request: HTTPRequest, keepAlive: Bool, started: UInt64
    ) -> (bytes: [UInt8], keepAlive: Bool) {
        statistics.inFlight.wrappingSubtract(1, ordering: .relaxed)
        var response = response
        let trace = request.traceParent
        if let trace { response.headers.add("traceparent", trace.child().header) }
        let keepAlive = keepAlive && !draining.load(ordering: .relaxed)
        let (bytes, bodyBytes) = serializer.serialize(
            response, method: request.method, requestHeaders: request.headers, requestID: request.requestID,
            keepAlive: keepAlive, http10KeepAlive: request.head.version == .http10)
        logAccess(
            method: request.method.rawValue, route: request.routeTemplate, status: response.status.code,
            bytes: bodyBytes, started: started, requestID: request.requestID, requestBytes: request.body.count,
            traceID: trace?.traceID)
        return (bytes, keepAlive)
    }

    /// A complete closing response for errors raised before any handler ran (parse errors, limits, overload).
    func errorBytes(_ error: HTTPError, requestID: String) -> [UInt8] {
        serializer.serialize(
            configuration.renderError(error, requestID), method: .get, requestHeaders: HTTPHeaders(),
            requestID: requestID, keepAlive: false, http10KeepAlive: false
        ).bytes
    }

    func logAccess(
        method: String, route: String, status: Int, bytes: Int, started: UInt64, requestID: String,
        requestBytes: Int = 0, traceID: String? = nil
    ) {
        guard let accessLog = configuration.accessLog else { return }
        accessLog.record(
            AccessRecord(
                method: method, route: route, status: status, bytes: bytes,
                durationMicroseconds: (MonotonicClock.now() &- started) / 1000, requestID: requestID,
                requestBytes: requestBytes, traceID: traceID))
    }
}
