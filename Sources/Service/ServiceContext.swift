import HTTPServer
import Logging
import Pipelines
import Postgres

/// What route handlers share: the database pool, configuration, logger and access rules.
public final class ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    public let pool: PostgresPool
    public let logger: Logger
    public let authenticator: Authenticator
    public let runner: PipelineRunner
    /// Cached KPI reads, invalidated by change notifications (see `ChangeListener`).
    public let cache: ResponseCache
    let openAPIDocument: [UInt8]
    /// The metrics and what feeds them.
    let telemetry: ServiceTelemetry
    /// When each stage should have run, for `/v1/status`.
    let schedules: StageSchedules

    init(
        configuration: ServiceConfiguration, pool: PostgresPool, runner: PipelineRunner, cache: ResponseCache,
        logger: Logger, openAPIDocument: [UInt8], telemetry: ServiceTelemetry
    ) {
        self.telemetry = telemetry
        // `Service.start` validated the configuration (schedules included) before building the context.
        self.schedules = (try? configuration.schedules()) ?? .defaults
        self.configuration = configuration
        self.cache = cache
        self.pool = pool
        self.runner = runner
        self.logger = logger
        self.authenticator = Authenticator(adminToken: configuration.adminToken, readToken: configuration.readToken)
        self.openAPIDocument = openAPIDocument
    }
}
