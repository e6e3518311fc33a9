import HTTPServer
import Logfmt
import Logging

/// Starts real servers on an ephemeral loopback port for tests.
public enum TestServer {
    /// A logger that drops everything, for tests that do not inspect logs.
    public static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A logger that prints only errors (unexpected 500s, failed runs) to standard error, for diagnosis.
    public static let errorLogger = Logger(
        label: "test", factory: { label in LogfmtLogHandler(label: label, level: .error) })

    /// The configuration tests start from: an ephemeral port, few workers, a short grace period.
    public static func configuration() -> HTTPServer.Configuration {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.workerThreads = 8
        configuration.gracePeriod = 5
        return configuration
    }

    /// Starts a server with `router` and returns it running; the caller shuts it down.
    public static func start(
        router: Router, configuration: HTTPServer.Configuration = configuration(), logger: Logger = quietLogger
    ) throws -> HTTPServer {
        let server = HTTPServer(configuration: configuration, router: router, logger: logger)
        try server.start()
        return server
    }
}

extension HTTPServer {
    /// The URL of `path` on this server.
    public func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// Shuts down and waits (in-flight handlers finish first, within the grace period), for `defer` in tests.
    public func stop() {
        shutdown()
        waitUntilStopped()
    }
}
