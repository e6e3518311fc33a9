import Foundation
import Hashing
import JSON
import OutboundHTTP
import TestSupport
import Testing

/// Signed webhook posts checked by a receiver written in Python with its own `hmac` module: a correct secret is
/// accepted, a wrong one refused, and retries of one delivery keep its id so that the receiver can dedupe them.
@Suite(.ownThreads) struct WebhookSignatureTests {
    static let secret = "whsec-0123456789abcdef-test"
    let payload: JSONValue = ["event": "inactivity", "learners": [["user_id": "u-é<1>", "days_inactive": 9]]]

    func client(_ url: String, secret: String?) -> WebhookClient {
        var configuration = WebhookClient.Configuration(url: url, secret: secret)
        configuration.retryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), jitter: 0)
        return WebhookClient(configuration: configuration, client: quietClient)
    }

    @Test func pythonReceiverVerifiesTheSignature() throws {
        let receiver = try PythonWebhookReceiver.start(secret: Self.secret)
        defer { receiver.stop() }
        let before = Int(Date().timeIntervalSince1970)

        let delivery = client(receiver.url, secret: Self.secret).post(payload)

        #expect(delivery == .delivered(attempts: 1, status: 204))
        let posts = try receiver.received()
        #expect(posts.count == 1)
        #expect(posts.first?["valid"] as? Bool == true)
        #expect(posts.first?["body"] as? String == String(decoding: payload.encoded(), as: UTF8.self))
        let timestamp = try #require(posts.first?["timestamp"] as? Int)
        #expect(timestamp >= before && timestamp <= Int(Date().timeIntervalSince1970))
    }

    @Test func wrongSecretOrNoSignatureIsRefused() throws {
        let receiver = try PythonWebhookReceiver.start(secret: Self.secret)
        defer { receiver.stop() }

        let forged = client(receiver.url, secret: "another-secret-of-16+chars").post(payload)
        let unsigned = client(receiver.url, secret: nil).post(payload)

        #expect(forged.failureReason == "HTTP 401")
        #expect(unsigned.failureReason == "HTTP 401")
        let posts = try receiver.received()
        #expect(posts.count == 2)
        #expect(posts.allSatisfy { $0["valid"] as? Bool == false })
        #expect(posts.last?["delivery"] is NSNull, "an unsigned post carries no delivery id")
    }

    @Test func retriesKeepTheDeliveryIdAndSignature() throws {
        let receiver = try PythonWebhookReceiver.start(secret: Self.secret, failFirst: 2)
        defer { receiver.stop() }
        let webhook = client(receiver.url, secret: Self.secret)

        let first = webhook.post(payload)
        let second = webhook.post(payload)

        #expect(first == .delivered(attempts: 3, status: 204))
        #expect(second == .delivered(attempts: 1, status: 204))
        let posts = try receiver.received()
        #expect(posts.count == 4)
        #expect(posts.allSatisfy { $0["valid"] as? Bool == true })
        let ids = posts.compactMap { $0["delivery"] as? String }
        #expect(ids.count == 4)
        #expect(Set(ids[0..<3]).count == 1, "the retries of one delivery share its id")
        #expect(ids[3] != ids[0], "a new delivery has a new id")
    }

    /// The signature header signs `"<t>.<body>"`; the delivery id is a fresh version-4 UUID each time.
    @Test func signatureHeaders() {
        let body = Array(#"{"learners":[]}"#.utf8)
        let signature = WebhookSignature(body: body, secret: Array("0123456789abcdef".utf8), timestamp: 1_764_801_000)
        let expected = HMACSHA256.hexCode(
            key: Array("0123456789abcdef".utf8), message: Array("1764801000.".utf8) + body)
        #expect(signature.headers[0].name == "Seedtest-Signature")
        #expect(signature.headers[0].value == "t=1764801000,v1=\(expected)")
        #expect(signature.headers[1].name == "Seedtest-Delivery")
        let other = WebhookSignature(body: body, secret: Array("0123456789abcdef".utf8), timestamp: 1_764_801_000)
        #expect(other.deliveryID != signature.deliveryID)
        #expect(other.code == signature.code)
        let id = Array(signature.deliveryID.utf8)
        #expect(id.count == 36 && id[14] == UInt8(ascii: "4"))
        #expect([8, 13, 18, 23].allSatisfy { id[$0] == UInt8(ascii: "-") })
    }
}
