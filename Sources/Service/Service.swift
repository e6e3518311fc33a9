import Dispatch
import Foundation
import Glibc
import HTTPServer
import Logging
import Pipelines
import Postgres
import Storage

/// The running service: the database pool, migrations, the routes and the HTTP server. `start()` brings everything
/// up; `shutdown()` drains requests and runs and closes the pool. The database itself is the caller's: the executable
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

    public init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The port the HTTP server listens on.
    public var port: Int { server?.port ?? 0 }

    public func start() throws {
        try configuration.validate()
        let pool = try Self.openPool(configuration, logger: logger)
        do {
            try Self.migrateWithRetry(pool, logger: logger)
            if configuration.loadDemoDataIfEmpty { try DemoLoader.loadIfEmpty(pool, logger: logger) }
            let cache = ResponseCache(maximumBytes: configuration.responseCacheBytes)
            let runner = PipelineRunner(
                database: .init(connectionString: pool.configuration.connectionString),
                services: .configured(configuration, logger: logger), logger: logger,
                onCommit: { _ in cache.invalidate() })
            let listener = ChangeListener(
                connectionString: pool.configuration.connectionString, cache: cache, logger: logger)
            listener.start()
            self.listener = listener
            try pool.withConnection { connection in try RunStore.reconcileAbandoned(connection) }
            let context = ServiceContext(
                configuration: configuration, pool: pool, runner: runner, cache: cache, logger: logger,
                openAPIDocument: try OpenAPIDocument.load())
            self.context = context
            let router = Routes.router(context: context)
            routes = router.routes.map { (method: $0.method.rawValue, template: $0.template) }
            var http = configuration.http
            http.renderError = HTTPError.jsonResponse
            let server = HTTPServer(configuration: http, router: router, logger: logger)
            try server.start()
            self.server = server
        } catch {
            listener?.stop()
            pool.close()
            throw error
        }
    }

    /// Blocks until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled() {
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                logger.info("signal received", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
                server?.shutdown()
            }
            source.resume()
            return source
        }
        server?.waitUntilStopped()
        for source in signals { source.cancel() }
        stopDependencies()
    }

    /// Starts a graceful shutdown and waits for it.
    public func shutdown() {
        server?.shutdown()
        server?.waitUntilStopped()
        stopDependencies()
    }

    /// Lets runs started with `?wait=false` finish within the grace period; a run cut off is rolled back by the
    /// database and reported abandoned.
    private func stopDependencies() {
        if let runner = context?.runner {
            let deadline = Date(timeIntervalSinceNow: configuration.http.gracePeriod)
            for run in runner.activeRuns {
                let remaining = deadline.timeIntervalSinceNow
                if remaining <= 0 || !run.wait(seconds: remaining) {
                    logger.warning(
                        "run still active at shutdown; it will be reported abandoned",
                        metadata: ["run_id": "\(run.runID)"])
                }
            }
        }
        listener?.stop()
        context?.pool.close()
    }

    /// The pool for `databaseURL`.
    static func openPool(_ configuration: ServiceConfiguration, logger: Logger) throws -> PostgresPool {
        guard let connectionString = configuration.databaseURL else {
            throw ConfigurationError("no database: DATABASE_URL (--database-url) is not set")
        }
        return PostgresPool(
            configuration: .init(
                connectionString: connectionString, size: configuration.databasePoolSize,
                acquireTimeout: configuration.databaseAcquireTimeout),
            logger: logger)
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
