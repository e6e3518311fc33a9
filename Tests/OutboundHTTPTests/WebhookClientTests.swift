import Foundation
import HTTPServer
import JSON
import OutboundHTTP
import TestSupport
import Testing

/// The webhook against our own server behaving well, slowly, flakily, refusing, or not there at all.
struct WebhookClientTests {
    let payload: JSONValue = [
        "event": "inactivity", "user_id": "u-<script>/é", "days_inactive": 21, "score": 0.5, "tags": ["a", .null],
    ]

    /// Fast retries so that the failure cases stay well under a second of backoff.
    func configuration(_ url: String, timeout: Duration = .seconds(5)) -> WebhookClient.Configuration {
        var configuration = WebhookClient.Configuration(url: url)
        configuration.timeout = timeout
        configuration.retryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(50), jitter: 0)
        return configuration
    }

    @Test func deliversOnceWithTheJSONBody() async throws {
        let log = RequestLog()
        var router = Router()
        router.post("/hook") { request in
            _ = log.record(request)
            return .json(["ok": true])
        }
        let server = try TestServer.start(router: router)
        defer { server.stop() }
        let webhook = WebhookClient(configuration: configuration(server.url("/hook")), client: quietClient)

        let delivery = await onOwnThread { [payload] in webhook.post(payload) }

        #expect(delivery == .delivered(attempts: 1, status: 200))
        #expect(delivery.isDelivered && delivery.failureReason == nil)
        let received = try #require(log.all.first)
        #expect(log.count == 1)
        #expect(received.contentType == "application/json")
        #expect(received.body == payload.encoded())
        #expect(try JSONParser.parse(received.body) == payload)
    }

    @Test func slowReceiverTimesOutOnEveryAttempt() async throws {
        let log = RequestLog()
        var router = Router()
        router.post("/hook") { request in
            _ = log.record(request)
            Thread.sleep(forTimeInterval: 1.0)
            return .json(["ok": true])
        }
        let server = try TestServer.start(router: router)
        defer { server.stop() }
        let webhook = WebhookClient(
            configuration: configuration(server.url("/hook"), timeout: .milliseconds(300)), client: quietClient)

        let (delivery, elapsed) = await onOwnThread { [payload] in timed { webhook.post(payload) } }

        guard case .failed(let attempts, let error) = delivery else {
            Issue.record("expected a failure, got \(delivery)")
            return
        }
        #expect(attempts == 3)
        #expect(error.kind == .timeout(limit: .milliseconds(300), message: "Timeout was reached"))
        #expect(error.isConnectionFailure)
        // Three attempts of at most 300 ms each plus 50 + 100 ms of backoff, with slack for a busy machine.
        #expect(elapsed >= .milliseconds(900) && elapsed < .milliseconds(2500), "took \(elapsed)")
        #expect(delivery.failureReason?.hasPrefix("timed out (limit 300 ms)") == true)
    }

    @Test func retriesServerErrorsUntilDelivered() async throws {
        let log = RequestLog()
        var router = Router()
        router.post("/hook") { request in
            log.record(request) <= 2 ? HTTPResponse(status: .internalServerError) : .json(["ok": true])
        }
        let server = try TestServer.start(router: router)
        defer { server.stop() }
        let webhook = WebhookClient(configuration: configuration(server.url("/hook")), client: quietClient)

        let delivery = await onOwnThread { [payload] in webhook.post(payload) }

        #expect(delivery == .delivered(attempts: 3, status: 200))
        #expect(log.count == 3)
        #expect(log.all.allSatisfy { $0.body == payload.encoded() })
    }

    @Test func retriesTooManyRequests() async throws {
        let log = RequestLog()
        var router = Router()
        router.post("/hook") { request in
            log.record(request) == 1
                ? HTTPResponse(status: HTTPStatus(code: 429, reason: "Too Many Requests")) : .json([:])
        }
        let server = try TestServer.start(router: router)
        defer { server.stop() }
        let webhook = WebhookClient(configuration: configuration(server.url("/hook")), client: quietClient)

        let delivery = await onOwnThread { [payload] in webhook.post(payload) }

        #expect(delivery == .delivered(attempts: 2, status: 200))
    }

    @Test func clientErrorIsNotRetried() async throws {
        let log = RequestLog()
        var router = Router()
        router.post("/hook") { request in
            _ = log.record(request)
            return HTTPResponse(status: .badRequest)
        }
        let server = try TestServer.start(router: router)
        defer { server.stop() }
        let webhook = WebhookClient(configuration: configuration(server.url("/hook")), client: quietClient)

        let delivery = await onOwnThread { [payload] in webhook.post(payload) }

        guard case .failed(let attempts, let error) = delivery else {
            Issue.record("expected a failure, got \(delivery)")
            return
        }
        #expect(attempts == 1)
        #expect(log.count == 1)
        #expect(error.status == 400 && !error.isRetryable && !error.isConnectionFailure)
        #expect(delivery.failureReason == "HTTP 400")
    }

    @Test func unreachableReceiverFailsQuicklyAfterRetries() async throws {
        let url = "http://127.0.0.1:\(FreePort.next())/hook/secret-token"
        let webhook = WebhookClient(configuration: configuration(url), client: quietClient)

        let (delivery, elapsed) = await onOwnThread { [payload] in timed { webhook.post(payload) } }

        guard case .failed(let attempts, let error) = delivery else {
            Issue.record("expected a failure, got \(delivery)")
            return
        }
        #expect(attempts == 3)
        #expect(error.isConnectionFailure)
        if case .connection(let code, let message) = error.kind {
            #expect(code == 7)
            #expect(message == "Couldn't connect to server")
        } else {
            Issue.record("expected a connection failure, got \(error.kind)")
        }
        #expect(elapsed < .seconds(1), "took \(elapsed)")
        #expect(!error.description.contains("secret-token"))
    }
}
