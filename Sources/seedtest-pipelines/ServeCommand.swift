import ArgumentParser
import Foundation
import HTTPServer
import Logfmt
import Logging
import Metrics
import Service

/// `seedtest-pipelines serve`: the HTTP service. Every option is a row of `ServiceConfiguration.settings`, which
/// supplies its help and checks its value exactly as it checks the environment variable of the same setting.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTP service.",
        discussion: """
            On SIGTERM or SIGINT the service stops accepting connections and gives in-flight requests and runs the \
            grace period (--grace-period). Runs still going then are cancelled: rolled back, recorded `cancelled` \
            (reason: shutdown), and a client waiting for one is answered 503 with the run record. The process exits \
            within the grace period plus 5 seconds: with status 0 when everything finished, with status 3 when work \
            was cut off (runs cancelled or connections closed unanswered). Start-up failures exit 1, invalid \
            configuration 2.
            """)

    @Option(help: settingHelp("database-url")) var databaseURL: String?
    @Option(help: settingHelp("state-dir")) var stateDir: String?
    @Option(help: settingHelp("bind")) var bind: String?
    @Option(help: settingHelp("port")) var port: String?
    @Option(help: settingHelp("admin-token")) var adminToken: String?
    @Option(help: settingHelp("read-token")) var readToken: String?
    @Flag(help: settingHelp("insecure-no-auth")) var insecureNoAuth = false
    @Option(help: settingHelp("db-pool-size")) var dbPoolSize: String?
    @Option(help: settingHelp("db-acquire-timeout")) var dbAcquireTimeout: String?
    @Option(help: settingHelp("worker-threads")) var workerThreads: String?
    @Option(help: settingHelp("event-loops")) var eventLoops: String?
    @Option(help: settingHelp("max-connections")) var maxConnections: String?
    @Option(help: settingHelp("max-body-bytes")) var maxBodyBytes: String?
    @Option(help: settingHelp("header-timeout")) var headerTimeout: String?
    @Option(help: settingHelp("body-timeout")) var bodyTimeout: String?
    @Option(help: settingHelp("body-min-rate")) var bodyMinRate: String?
    @Option(help: settingHelp("idle-timeout")) var idleTimeout: String?
    @Option(help: settingHelp("grace-period")) var gracePeriod: String?
    @Option(help: settingHelp("response-cache-bytes")) var responseCacheBytes: String?
    @Option(help: settingHelp("log-format")) var logFormat: String?
    @Option(help: settingHelp("stage-schedules")) var stageSchedules: String?
    @Option(help: settingHelp("status-late-grace-minutes")) var statusLateGraceMinutes: String?
    @Option(help: settingHelp("log-level")) var logLevel: String?
    @Flag(help: settingHelp("no-access-log")) var noAccessLog = false
    @Flag(help: settingHelp("load-demo-data")) var loadDemoData = false

    func run() throws {
        var configuration = try resolveConfiguration(flags: flags, validate: true)
        let json = configuration.logFormat == "json"
        configuration.http.accessLog =
            configuration.noAccessLog ? nil : json ? JSONAccessLog() as any AccessLogging : LogfmtAccessLog()
        let logger = bootstrapLogging(level: configuration.logLevel, format: configuration.logFormat)
        var outcome = ShutdownOutcome()
        do {
            try DevelopmentDatabase.withConnectionString(configuration, logger: logger) { connectionString in
                configuration.databaseURL = connectionString
                let service = Service(configuration: configuration, logger: logger)
                // Once per process: library code using the global factory lands on the service's registry.
                MetricsSystem.bootstrap(service.metrics.factory)
                try service.start()
                outcome = service.runUntilSignalled()
            }
        } catch {
            logger.critical("start-up failed", metadata: ["error": "\(error)"])
            LogSink.standardError.flush()
            throw ExitCode(1)
        }
        LogSink.standardError.flush()
        if outcome.cutOff { throw ExitCode(ShutdownOutcome.cutOffExitStatus) }
    }

    /// The options given, keyed by flag name as `ServiceConfiguration.settings` names them.
    var flags: [String: String] {
        let given: [String: String?] = [
            "bind": bind, "port": port, "admin-token": adminToken, "read-token": readToken,
            "insecure-no-auth": insecureNoAuth ? "on" : nil, "database-url": databaseURL, "state-dir": stateDir,
            "db-pool-size": dbPoolSize, "db-acquire-timeout": dbAcquireTimeout, "max-connections": maxConnections,
            "worker-threads": workerThreads, "event-loops": eventLoops, "max-body-bytes": maxBodyBytes,
            "header-timeout": headerTimeout, "body-timeout": bodyTimeout, "body-min-rate": bodyMinRate,
            "idle-timeout": idleTimeout, "grace-period": gracePeriod,
            "response-cache-bytes": responseCacheBytes, "log-format": logFormat, "stage-schedules": stageSchedules,
            "status-late-grace-minutes": statusLateGraceMinutes,
            "log-level": logLevel, "no-access-log": noAccessLog ? "on" : nil,
            "load-demo-data": loadDemoData ? "on" : nil,
        ]
        return given.compactMapValues { $0 }
    }
}
