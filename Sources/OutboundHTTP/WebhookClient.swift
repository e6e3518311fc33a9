import JSON
import Logging

/// Posts JSON notifications (the inactivity stage's webhook) with a timeout and a few retries, and reports whether
/// the notification was delivered instead of throwing: a failed delivery is counted by the caller, not fatal.
public struct WebhookClient: Sendable {
    public struct Configuration: Sendable, CustomStringConvertible {
        /// Where to post; only its origin ever appears in logs and errors, since webhook paths often hold tokens.
        public var url: String
        /// The limit for each attempt.
        public var timeout: Duration = .seconds(5)
        /// The limit for connecting, within `timeout`.
        public var connectTimeout: Duration = .seconds(3)
        public var retryPolicy = RetryPolicy(maxAttempts: 3)
        /// Extra headers (an `Authorization` token, say); their values are never logged.
        public var headers: [(name: String, value: String)] = []
        /// The shared HMAC key: with it every post carries `Seedtest-Signature` and `Seedtest-Delivery`
        /// (`WebhookSignature`). Never logged. The service refuses to start with a URL and no secret.
        public var secret: String?

        public init(url: String, secret: String? = nil) {
            self.url = url
            self.secret = secret
        }

        public var description: String {
            "WebhookClient.Configuration(\(URLOrigin.redacted(url)), timeout \(timeout), \(retryPolicy.maxAttempts) "
                + "attempts, \(secret == nil ? "unsigned" : "signed"))"
        }
    }

    public let configuration: Configuration
    private let client: HTTPClient

    public init(configuration: Configuration, client: HTTPClient) {
        self.configuration = configuration
        self.client = client
    }

    public init(configuration: Configuration, logger: Logger) {
        self.init(configuration: configuration, client: HTTPClient(logger: logger))
    }

    /// Posts `payload` as `application/json`, signed when a secret is configured, retrying connection failures,
    /// timeouts, 5xx and 429 with the same signature and delivery id. Blocks for at most about
    /// `maxAttempts × timeout` plus the backoff.
    public func post(_ payload: JSONValue) -> WebhookDelivery {
        let body = payload.encoded()
        let reserved = [
            "content-type", WebhookSignature.signatureHeader.lowercased(), WebhookSignature.deliveryHeader.lowercased(),
        ]
        var headers = configuration.headers.filter { !reserved.contains($0.name.lowercased()) }
        headers.append((name: "Content-Type", value: "application/json"))
        if let secret = configuration.secret {
            headers += WebhookSignature(body: body, secret: Array(secret.utf8)).headers
        }
        let request = OutboundRequest(
            method: .post, url: configuration.url, headers: headers, body: body,
            timeout: configuration.timeout, connectTimeout: min(configuration.connectTimeout, configuration.timeout),
            maxResponseBytes: 64 * 1024)
        let outcome = client.send(request, retrying: configuration.retryPolicy)
        switch outcome.result {
        case .success(let response):
            return .delivered(attempts: outcome.attempts, status: response.status)
        case .failure(let error):
            client.logger.warning(
                "webhook not delivered",
                metadata: ["target": "\(error.target)", "attempts": "\(outcome.attempts)", "error": "\(error.reason)"])
            return .failed(attempts: outcome.attempts, error: error)
        }
    }
}

/// Whether a webhook notification arrived, and after how many attempts.
public enum WebhookDelivery: Sendable, Equatable {
    /// The receiver answered 2xx.
    case delivered(attempts: Int, status: Int)
    /// Every attempt failed, or the receiver refused it with a 4xx; `error` is the last failure.
    case failed(attempts: Int, error: OutboundError)

    public var isDelivered: Bool {
        if case .delivered = self { return true }
        return false
    }

    public var attempts: Int {
        switch self {
        case .delivered(let attempts, _), .failed(let attempts, _): return attempts
        }
    }

    /// A short reason for a failure (`HTTP 400`, `timed out (limit 5000 ms): …`), nil when delivered.
    public var failureReason: String? {
        if case .failed(_, let error) = self { return error.reason }
        return nil
    }
}
