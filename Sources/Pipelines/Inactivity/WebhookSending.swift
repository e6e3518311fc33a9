import JSON
import OutboundHTTP

/// Delivers one JSON document to a configured webhook. The inactivity stage counts failures but never undoes its
/// detection because of one.
public protocol WebhookSending: Sendable {
    func send(_ document: JSONValue) -> WebhookOutcome
}

/// The libcurl client (timeout, retries on connection errors, 5xx and 429) as the stages' webhook.
extension WebhookClient: WebhookSending {
    public func send(_ document: JSONValue) -> WebhookOutcome {
        let delivery = post(document)
        return WebhookOutcome(
            delivered: delivery.isDelivered, attempts: delivery.attempts, reason: delivery.failureReason)
    }
}

/// What happened to one delivery.
public struct WebhookOutcome: Sendable, Equatable {
    public var delivered: Bool
    public var attempts: Int
    /// Why it failed (status or connection error), for logs.
    public var reason: String?

    public init(delivered: Bool, attempts: Int, reason: String? = nil) {
        self.delivered = delivered
        self.attempts = attempts
        self.reason = reason
    }
}
