import JSON

/// Delivers one JSON document to a webhook. The inactivity stage counts failures but never undoes its detection
/// because of one.
public protocol WebhookSending: Sendable {
    func post(_ document: JSONValue, to url: String) -> WebhookOutcome
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
