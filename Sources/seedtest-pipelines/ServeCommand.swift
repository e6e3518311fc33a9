import ArgumentParser
import Foundation
import Glibc
import Logging
import Service

/// `seedtest-pipelines serve`: the HTTP service. Flags override the environment variables named in their help.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP service.")

    @Option(help: "Address to listen on ($SEEDTEST_BIND, default 127.0.0.1).") var bind: String?
    @Option(help: "Port to listen on ($PORT, default 8080).") var port: Int?
    @Option(help: "Token for every POST ($PIPELINES_ADMIN_TOKEN).") var adminToken: String?
    @Option(help: "Token for GETs under /v1 ($PIPELINES_READ_TOKEN; the admin token also works).") var readToken:
        String?
    @Flag(help: "Allow listening beyond loopback without tokens.") var insecureNoAuth = false
    @Option(help: "PostgreSQL URL ($DATABASE_URL; default: embedded cluster in the state directory).")
    var databaseURL: String?
    @Option(help: "State directory for the embedded cluster ($SEEDTEST_STATE_DIR, default ./.seedtest).")
    var stateDir: String?
    @Option(help: "Database connections ($DB_POOL_SIZE, default 12).") var dbPoolSize: Int?
    @Option(help: "Open connections before new ones get 503 ($MAX_CONNECTIONS, default 16384).")
    var maxConnections: Int?
    @Option(help: "Handler threads ($WORKER_THREADS, default 12).") var workerThreads: Int?
    @Option(help: "Event-loop threads that own the connections (default: one per core, at most 4).")
    var eventLoops: Int?
    @Option(help: "Default request body limit in bytes ($MAX_BODY_BYTES, default 8388608).") var maxBodyBytes: Int?
    @Option(help: "Seconds for a request head to arrive (default 10).") var headerTimeout: Double?
    @Option(help: "Seconds before an idle keep-alive connection closes (default 60).") var idleTimeout: Double?
    @Option(help: "Seconds in-flight requests get at shutdown ($SHUTDOWN_GRACE_SECONDS, default 30).")
    var gracePeriod: Double?
    @Option(help: "trace, debug, info, notice, warning, error or critical ($LOG_LEVEL, default info).")
    var logLevel: String?
    @Flag(help: "Do not log one line per request.") var noAccessLog = false
    @Flag(help: "Load a small demo data set when the database has no attempts.") var loadDemoData = false

    func run() throws {
        let configuration: ServiceConfiguration
        do {
            configuration = try resolveConfiguration()
        } catch {
            FileHandle.standardError.write(Data("seedtest-pipelines: invalid configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let logger = bootstrapLogging(level: configuration.logLevel)
        let service = Service(configuration: configuration, logger: logger)
        do {
            try service.start()
        } catch {
            logger.critical("start-up failed", metadata: ["error": "\(error)"])
            LogSink.standardError.flush()
            throw ExitCode(1)
        }
        service.runUntilSignalled()
        LogSink.standardError.flush()
    }

    /// The environment, overridden by flags, validated.
    func resolveConfiguration() throws -> ServiceConfiguration {
        var configuration = try ServiceConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        if let bind { configuration.http.host = bind }
        if let port {
            guard (0...65_535).contains(port) else { throw ConfigurationError("--port must be in 0…65535") }
            configuration.http.port = port
        }
        if let adminToken { configuration.adminToken = adminToken }
        if let readToken { configuration.readToken = readToken }
        configuration.insecureNoAuth = insecureNoAuth
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let stateDir { configuration.stateDirectory = stateDir }
        if let dbPoolSize {
            guard dbPoolSize > 0 else { throw ConfigurationError("--db-pool-size must be > 0") }
            configuration.databasePoolSize = dbPoolSize
        }
        if let maxConnections {
            guard maxConnections > 0 else { throw ConfigurationError("--max-connections must be > 0") }
            configuration.http.maxConnections = maxConnections
        }
        if let workerThreads {
            guard workerThreads > 0 else { throw ConfigurationError("--worker-threads must be > 0") }
            configuration.http.workerThreads = workerThreads
        }
        if let maxBodyBytes {
            guard maxBodyBytes >= 1024 else { throw ConfigurationError("--max-body-bytes must be ≥ 1024") }
            configuration.http.defaultBodyLimit = maxBodyBytes
        }
        if let headerTimeout {
            guard headerTimeout > 0 else { throw ConfigurationError("--header-timeout must be > 0") }
            configuration.http.headerTimeout = headerTimeout
        }
        if let idleTimeout {
            guard idleTimeout > 0 else { throw ConfigurationError("--idle-timeout must be > 0") }
            configuration.http.idleTimeout = idleTimeout
        }
        if let gracePeriod {
            guard gracePeriod >= 0 else { throw ConfigurationError("--grace-period must be ≥ 0") }
            configuration.http.gracePeriod = gracePeriod
        }
        if let logLevel { configuration.logLevel = try EnvironmentReader.parseLogLevel(logLevel, name: "--log-level") }
        configuration.http.accessLog = noAccessLog ? nil : LogfmtAccessLog()
        configuration.loadDemoDataIfEmpty = loadDemoData
        configuration.http.eventLoops = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        if let eventLoops {
            guard (1...64).contains(eventLoops) else { throw ConfigurationError("--event-loops must be in 1…64") }
            configuration.http.eventLoops = eventLoops
        }
        try configuration.validate()
        return configuration
    }
}
