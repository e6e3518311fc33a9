import Pipelines

extension StageServices {
    /// The outside services the stages use, from the service configuration.
    public static func configured(_ configuration: ServiceConfiguration) -> StageServices {
        StageServices(inactivityWebhookURL: configuration.inactivityWebhookURL)
    }
}
