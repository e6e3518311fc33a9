import Logging
import OutboundHTTP
import Postgres
import UTCTime

/// What a stage job gets: the run's id and connection (inside the run's transaction), a logger carrying the run id,
/// the run's clock, the outside services stages talk to, and the run's progress and stop flag.
public struct RunContext {
    public let runID: Int64
    public let connection: PostgresConnection
    public let logger: Logger
    /// When the run started; stages use it instead of reading the clock.
    public let startedAt: Timestamp
    public let dryRun: Bool
    public let services: StageServices
    /// Where the stage reports its phase and progress, and checks (`check`, `tick`) whether it must stop.
    public let progress: RunProgress
}

/// Outside services, configured once for the runner.
public struct StageServices: Sendable {
    /// Where newly inactive learners are posted (INACTIVITY_WEBHOOK_URL); nil skips the notification.
    public var inactivityWebhook: (any WebhookSending)?
    /// Where weekly reports are uploaded when a run asks for it (REPORTS_S3_*).
    public var reportStorage: ObjectStorageClient?

    public init(inactivityWebhook: (any WebhookSending)? = nil, reportStorage: ObjectStorageClient? = nil) {
        self.inactivityWebhook = inactivityWebhook
        self.reportStorage = reportStorage
    }
}
