import Dispatch
import Foundation
import Glibc
import HTTPServer
import Logging
import Pipelines
import Postgres
import Storage
import Telemetry

/// The running service: the database pool, migrations, the routes and the HTTP server. `start()` brings everything
/// up; `shutdown()` drains requests and runs, cancels what the grace period did not finish, and closes the pool. The database itself is the caller's: the executable
/// starts the embedded cluster when no URL is configured and stops it after the service.
public final class Service: @unchecked Sendable {
    // Mutable state is set in `start()` before any other thread sees the service, and read-only afterwards.
    public let configuration: ServiceConfiguration
    let logger: Logger
    private var server: HTTPServer?
    private var listener: ChangeListener?
    private(set) public var context: ServiceContext?
    /// Every route the server answers, as (method, template), for documentation checks.
    private(set) public var routes: [(method: String, template: String)] = []
    /// This service's metrics, on a registry of its own (`GET /metrics`); the executable also bootstraps
    /// `MetricsSystem` with its factory.
    public let metrics = ServiceMetrics()

    public init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The port the HTTP server listens on.
    public var port: Int { server?.port ?? 0 }

    public func start() throws {
        try configuration.validate()
        let telemetry = ServiceTelemetry(metrics: metrics, statistics: ServerStatistics())
        let pool = try Self.openPool(configuration, logger: logger, observer: telemetry.poolObserver)
        do {
            try Self.migrateWithRetry(pool, logger: logger)
            if configuration.loadDemoDataIfEmpty { try DemoLoader.loadIfEmpty(pool, logger: logger) }
            let cache = ResponseCache(maximumBytes: configuration.responseCacheBytes, metrics: metrics.cache)
            let runner = PipelineRunner(
                database: .init(connectionString: pool.configuration.connectionString),
                services: .configured(configuration, logger: logger), logger: logger,
                onCommit: { _ in cache.invalidate() }, acquireTimeout: configuration.databaseAcquireTimeout,
                observer: RunMetricsObserver(telemetry: telemetry))
            let listener = ChangeListener(
                connectionString: pool.configuration.connectionString, cache: cache, logger: logger)
            listener.start()
            self.listener = listener
            try pool.withConnection { connection in try RunStore.reconcileAbandoned(connection) }
            let context = ServiceContext(
                configuration: configuration, pool: pool, runner: runner, cache: cache, logger: logger,
                openAPIDocument: try OpenAPIDocument.load(), telemetry: telemetry)
            self.context = context
            let router = Routes.router(context: context)
            routes = router.routes.map { (method: $0.method.rawValue, template: $0.template) }
            var http = configuration.http
            http.renderError = HTTPError.jsonResponse
            http.cutOffAnswerPeriod = ShutdownOutcome.cutOffAnswerPeriod
            http.accessLog = MeteredAccessLog(metrics: metrics, next: http.accessLog)
            http.statistics = telemetry.statistics
            let server = HTTPServer(configuration: http, router: router, logger: logger)
            try server.start()
            self.server = server
        } catch {
            listener?.stop()
            pool.close()
            throw error
        }
    }

    /// Blocks until SIGTERM or SIGINT, then shuts down gracefully (`shutdown()`).
    public func runUntilSignalled() -> ShutdownOutcome {
        let signalled = DispatchSemaphore(value: 0)
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [logger] in
                logger.info("signal received", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
                signalled.signal()
            }
            source.resume()
            return source
        }
        signalled.wait()
        let outcome = shutdown()
        for source in signals { source.cancel() }
        return outcome
    }

    /// Shuts down and waits: no new connections; in-flight requests and runs (also those started with `?wait=false`)
    /// get the grace period. Runs still going then are cancelled (rolled back, recorded `cancelled`) and their waiting
    /// clients answered 503 within `ShutdownOutcome.cutOffAnswerPeriod`; connections still open after that are closed.
    @discardableResult
    public func shutdown() -> ShutdownOutcome {
        let graceEnd = Date(timeIntervalSinceNow: configuration.http.gracePeriod)
        server?.shutdown()
        context?.runner.stopAccepting()
        var outcome = ShutdownOutcome()
        if let runner = context?.runner {
            for run in runner.activeRuns { _ = run.wait(seconds: graceEnd.timeIntervalSinceNow) }
            if !runner.activeRuns.isEmpty {
                logger.warning(
                    "grace period over; cancelling the runs still going",
                    metadata: ["run_ids": "\(runner.activeRuns.map(\.runID).sorted())"])
                let records = runner.cancelAll(
                    reason: PipelineRunner.shutdownReason,
                    until: graceEnd.addingTimeInterval(ShutdownOutcome.cutOffAnswerPeriod - 0.5))
                outcome.cancelledRunIDs = records.filter { $0.status != .succeeded }.map(\.runID).sorted()
                for record in records where record.status == .running {
                    logger.error(
                        "run did not stop when cancelled; the database rolls it back when the process exits",
                        metadata: ["run_id": "\(record.runID)"])
                }
            }
        }
        server?.waitUntilStopped()
        outcome.closedUnansweredConnections = server?.closedUnansweredConnections ?? false
        listener?.stop()
        if let runner = context?.runner {
            // Within the promised grace + 5 s, whatever the waits above took.
            let budget = min(Self.pendingOutcomesFlushSeconds, graceEnd.timeIntervalSinceNow + 4.8)
            let unwritten = runner.flushPendingOutcomes(within: max(0, budget))
            if !unwritten.isEmpty {
                logger.error(
                    "run outcomes told to clients were not stored (database unreachable); they will be swept as abandoned",
                    metadata: ["run_ids": "\(unwritten)"])
            }
        }
        context?.pool.close()
        if outcome.cutOff {
            logger.warning(
                "shutdown cut work off",
                metadata: [
                    "cancelled_runs": "\(outcome.cancelledRunIDs)",
                    "closed_unanswered_connections": "\(outcome.closedUnansweredConnections)",
                ])
        }
        return outcome
    }

    /// How long shutdown tries to store run outcomes still pending (within the 5 s after the grace period).
    static let pendingOutcomesFlushSeconds = 1.0

    /// The pool for `databaseURL`.
    static func openPool(
        _ configuration: ServiceConfiguration, logger: Logger, observer: PoolObserver? = nil
    ) throws -> PostgresPool {
        guard let connectionString = configuration.databaseURL else {
            throw ConfigurationError("no database: DATABASE_URL (--database-url) is not set")
        }
        return PostgresPool(
            configuration: .init(
                connectionString: connectionString, size: configuration.databasePoolSize,
                acquireTimeout: configuration.databaseAcquireTimeout),
            logger: logger, observer: observer)
    }

    /// Migrates, waiting up to 30 s for a database that is still starting (replicas often start before it).
    static func migrateWithRetry(_ pool: PostgresPool, logger: Logger) throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while true {
            do {
                try Migrator.migrate(pool, logger: logger)
                return
            } catch let error as PostgresError where error.isConnectionFailure && Date() < deadline {
                logger.warning("database not reachable yet; retrying", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }
}
