import Glibc
import Hashing

/// The signature of one webhook post, in the style receivers already verify (Stripe's, Standard Webhooks'):
/// `Seedtest-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` and `Seedtest-Delivery: <id>`.
///
/// A receiver recomputes the HMAC over the timestamp, a dot and the raw body with the shared secret, compares it in
/// constant time, refuses timestamps outside its replay window and drops deliveries whose id it has seen. Retries of
/// one delivery carry the same timestamp, id and signature, so the id is what deduplicates them.
public struct WebhookSignature: Sendable, Equatable {
    public static let signatureHeader = "Seedtest-Signature"
    public static let deliveryHeader = "Seedtest-Delivery"

    /// Seconds since 1970 when the delivery was signed.
    public let timestamp: Int64
    /// A random version-4 UUID, unique per delivery.
    public let deliveryID: String
    /// The hexadecimal HMAC-SHA256 of `"<timestamp>.<body>"`.
    public let code: String

    /// Signs `body` with `secret` at `timestamp` (default: now) under a fresh delivery id.
    public init(
        body: [UInt8], secret: [UInt8], timestamp: Int64 = Self.now(), deliveryID: String = Self.newDeliveryID()
    ) {
        self.timestamp = timestamp
        self.deliveryID = deliveryID
        self.code = HMACSHA256.hexCode(key: secret, message: Array("\(timestamp).".utf8) + body)
    }

    /// The two header fields to send with the body.
    public var headers: [(name: String, value: String)] {
        [
            (name: Self.signatureHeader, value: "t=\(timestamp),v1=\(code)"),
            (name: Self.deliveryHeader, value: deliveryID),
        ]
    }

    /// The current Unix time in whole seconds.
    public static func now() -> Int64 {
        Int64(time(nil))
    }

    /// A random version-4 UUID in its usual lower-case 8-4-4-4-12 form.
    public static func newDeliveryID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = Array(Hexadecimal.lowercase(bytes))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }
}
