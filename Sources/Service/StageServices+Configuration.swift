import Logging
import OutboundHTTP
import Pipelines

extension StageServices {
    /// The outside services the stages use, from the service configuration. The webhook signs with the configured
    /// secret (`validate()` refuses a URL without one).
    public static func configured(_ configuration: ServiceConfiguration, logger: Logger) -> StageServices {
        StageServices(
            inactivityWebhook: configuration.inactivityWebhookURL.map { url in
                WebhookClient(
                    configuration: .init(url: url, secret: configuration.inactivityWebhookSecret), logger: logger)
            },
            reportStorage: configuration.objectStorage.map { ObjectStorageClient(configuration: $0, logger: logger) })
    }
}
