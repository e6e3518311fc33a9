import Foundation
import HTTPServer
import Logging
import OutboundHTTP
import Pipelines

/// Everything the service is configured with. `resolve` reads the environment, then command-line flags (flags win),
/// checking each value against its row in `settings`; `validate()` then checks the rules that involve several
/// settings. Each stops start-up with one line naming the bad setting.
public struct ServiceConfiguration: Sendable {
    public var http = HTTPServer.Configuration()
    public var adminToken: String?
    public var readToken: String?
    public var insecureNoAuth = false
    /// PostgreSQL to use. `Service` needs it; the executable starts the embedded cluster in `stateDirectory` and sets
    /// it when none is given.
    public var databaseURL: String?
    public var stateDirectory = ".seedtest"
    public var databasePoolSize = 12
    public var databaseAcquireTimeout: Double = 5
    public var logLevel: Logger.Level = .info
    /// Set by `--no-access-log`: the executable then installs no access log in `http`.
    public var noAccessLog = false
    /// Load a small demo data set when the database holds no attempts (used by `make run`).
    public var loadDemoDataIfEmpty = false
    /// Inactivity notifications go here when set.
    public var inactivityWebhookURL: String?
    /// The key that signs every inactivity webhook post; required with `inactivityWebhookURL`.
    public var inactivityWebhookSecret: String?
    /// The `REPORTS_S3_*` settings as given; `resolve` turns them into `objectStorage`.
    public var objectStorageSettings = ObjectStorageSettings()
    /// S3-compatible storage for report uploads.
    public var objectStorage: ObjectStorageClient.Configuration?
    /// The bound on the read-response cache's memory, in bytes (0 keeps nothing).
    public var responseCacheBytes = ResponseCache.defaultMaximumBytes
    /// Stage schedules replacing the CronJob times (`stage=cron;…`), for `/v1/status`; nil keeps them all.
    public var stageSchedules: String?
    /// Minutes after a scheduled time without a success before `/v1/status` calls the stage late.
    public var statusLateGraceMinutes = 120
    /// `logfmt` or `json`: the format of every log line, access lines included.
    public var logFormat = "logfmt"

    /// Every setting at its default (event loops at `HTTPServer.Configuration`'s); tests and tools set fields directly.
    public init() {}

    /// The environment overridden by `flags` (keyed by flag name without dashes, as in `settings`), every value checked
    /// against its setting. Settings not given keep their defaults; event loops default to one per core, at most 4.
    public static func resolve(environment: [String: String], flags: [String: String] = [:]) throws(ConfigurationError)
        -> ServiceConfiguration
    {
        for flag in flags.keys.sorted() where setting(flag: flag) == nil {
            throw ConfigurationError("--\(flag) is not a setting")
        }
        var configuration = ServiceConfiguration()
        configuration.http.eventLoops = defaultEventLoops
        for setting in settings {
            if let flag = setting.flag, let text = flags[flag] {
                try setting.apply(text, from: "--\(flag)", to: &configuration)
            } else if let variable = setting.environment, let text = environment[variable], !text.isEmpty {
                try setting.apply(text, from: variable, to: &configuration)
            }
        }
        configuration.objectStorage = try configuration.objectStorageSettings.clientConfiguration()
        return configuration
    }

    /// The environment variables alone (`resolve` without flags).
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigurationError)
        -> ServiceConfiguration
    {
        try resolve(environment: environment)
    }

    /// One event loop per core, at most 4.
    static var defaultEventLoops: Int {
        max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Checks the rules that involve several settings (and token lengths, for configurations built in code).
    public func validate() throws(ConfigurationError) {
        if adminToken == nil && readToken != nil {
            throw ConfigurationError("PIPELINES_READ_TOKEN is set without PIPELINES_ADMIN_TOKEN; set both or neither")
        }
        for (name, token) in [("admin token", adminToken), ("read token", readToken)] {
            if let token, token.utf8.count < Self.minimumTokenLength {
                throw ConfigurationError("the \(name) must be at least \(Self.minimumTokenLength) characters")
            }
        }
        try validateWebhook()
        _ = try schedules()
        guard ["logfmt", "json"].contains(logFormat) else {
            throw ConfigurationError("LOG_FORMAT must be logfmt or json, got '\(logFormat)'")
        }
        if adminToken == nil && !insecureNoAuth && !http.bindsLoopbackOnly {
            throw ConfigurationError(
                "refusing to listen on \(http.host) without PIPELINES_ADMIN_TOKEN; bind to 127.0.0.1, set the tokens, "
                    + "or pass --insecure-no-auth")
        }
    }

    /// The stage schedules: the CronJob times with `stageSchedules` applied. Throws naming the bad entry.
    public func schedules() throws(ConfigurationError) -> StageSchedules {
        do {
            return try StageSchedules(overrides: stageSchedules)
        } catch {
            throw ConfigurationError("STAGE_SCHEDULES: \(error.description)")
        }
    }

    /// Refuses a webhook URL without a secret to sign its posts with (part of `validate()`; `run` checks it alone).
    public func validateWebhook() throws(ConfigurationError) {
        if inactivityWebhookURL != nil && inactivityWebhookSecret == nil {
            throw ConfigurationError(
                "INACTIVITY_WEBHOOK_URL is set without INACTIVITY_WEBHOOK_SECRET; receivers could not tell our posts "
                    + "from anyone's: set a secret of at least \(Self.minimumTokenLength) characters")
        }
        if let secret = inactivityWebhookSecret, secret.utf8.count < Self.minimumTokenLength {
            throw ConfigurationError(
                "INACTIVITY_WEBHOOK_SECRET must be at least \(Self.minimumTokenLength) characters")
        }
    }

    /// The shortest token accepted, by `settings` and by `validate()`.
    static let minimumTokenLength = 16
}

/// A configuration problem, reported as one line.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
