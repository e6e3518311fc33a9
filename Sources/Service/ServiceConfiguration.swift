import HTTPServer
import Logging
import OutboundHTTP

/// Everything the service is configured with. Values come from the environment, then from command-line flags (flags
/// win); `validate()` stops start-up with one line naming the first bad setting.
public struct ServiceConfiguration: Sendable {
    public var http = HTTPServer.Configuration()
    public var adminToken: String?
    public var readToken: String?
    public var insecureNoAuth = false
    /// PostgreSQL to use; nil starts the embedded cluster in `stateDirectory`.
    public var databaseURL: String?
    public var stateDirectory = ".seedtest"
    public var databasePoolSize = 12
    public var databaseAcquireTimeout: Double = 5
    public var logLevel: Logger.Level = .info
    /// Load a small demo data set when the database holds no attempts (used by `make run`).
    public var loadDemoDataIfEmpty = false
    /// Inactivity notifications go here when set.
    public var inactivityWebhookURL: String?
    /// S3-compatible storage for report uploads.
    public var objectStorage: ObjectStorageClient.Configuration?
    /// The bound on the read-response cache's memory, in bytes (0 keeps nothing).
    public var responseCacheBytes = ResponseCache.defaultMaximumBytes

    public init() {}

    /// Reads the environment variables listed in the README.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError)
        -> ServiceConfiguration
    {
        var configuration = ServiceConfiguration()
        let reader = EnvironmentReader(environment: environment)
        if let value = reader.string("SEEDTEST_BIND") { configuration.http.host = value }
        if let value = try reader.int("PORT", range: 0...65_535) { configuration.http.port = value }
        configuration.adminToken = reader.string("PIPELINES_ADMIN_TOKEN")
        configuration.readToken = reader.string("PIPELINES_READ_TOKEN")
        configuration.databaseURL = reader.string("DATABASE_URL")
        if let value = reader.string("SEEDTEST_STATE_DIR") { configuration.stateDirectory = value }
        if let value = try reader.int("DB_POOL_SIZE", range: 1...512) { configuration.databasePoolSize = value }
        if let value = try reader.double("DB_ACQUIRE_TIMEOUT_SECONDS", range: 0.01...600) {
            configuration.databaseAcquireTimeout = value
        }
        if let value = try reader.int("MAX_CONNECTIONS", range: 1...1_000_000) {
            configuration.http.maxConnections = value
        }
        if let value = try reader.int("WORKER_THREADS", range: 1...1024) { configuration.http.workerThreads = value }
        if let value = try reader.int("MAX_BODY_BYTES", range: 1024...(1 << 30)) {
            configuration.http.defaultBodyLimit = value
        }
        if let value = try reader.double("SHUTDOWN_GRACE_SECONDS", range: 0...3600) {
            configuration.http.gracePeriod = value
        }
        if let value = try reader.int("RESPONSE_CACHE_BYTES", range: 0...(1 << 40)) {
            configuration.responseCacheBytes = value
        }
        if let value = try reader.logLevel("LOG_LEVEL") { configuration.logLevel = value }
        configuration.inactivityWebhookURL = reader.string("INACTIVITY_WEBHOOK_URL")
        configuration.objectStorage = try objectStorage(reader)
        return configuration
    }

    /// Checks settings that depend on each other.
    public func validate() throws(ConfigurationError) {
        if adminToken == nil && readToken != nil {
            throw ConfigurationError("PIPELINES_READ_TOKEN is set without PIPELINES_ADMIN_TOKEN; set both or neither")
        }
        for (name, token) in [("admin token", adminToken), ("read token", readToken)] {
            if let token, token.utf8.count < 16 {
                throw ConfigurationError("the \(name) must be at least 16 characters")
            }
        }
        if adminToken == nil && !insecureNoAuth && !http.bindsLoopbackOnly {
            throw ConfigurationError(
                "refusing to listen on \(http.host) without PIPELINES_ADMIN_TOKEN; bind to 127.0.0.1, set the tokens, "
                    + "or pass --insecure-no-auth")
        }
        if let url = inactivityWebhookURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ConfigurationError("INACTIVITY_WEBHOOK_URL must be an http:// or https:// URL")
        }
    }
}

/// A configuration problem, reported as one line.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
