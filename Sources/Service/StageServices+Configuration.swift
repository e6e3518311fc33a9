import Logging
import OutboundHTTP
import Pipelines

extension StageServices {
    /// The outside services the stages use, from the service configuration.
    public static func configured(_ configuration: ServiceConfiguration, logger: Logger) -> StageServices {
        StageServices(
            inactivityWebhook: configuration.inactivityWebhookURL.map { url in
                WebhookClient(configuration: .init(url: url), logger: logger)
            },
            reportStorage: configuration.objectStorage.map { ObjectStorageClient(configuration: $0, logger: logger) })
    }
}
