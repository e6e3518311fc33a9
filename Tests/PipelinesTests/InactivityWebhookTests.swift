import Foundation
import HTTPServer
import JSON
import OutboundHTTP
import Pipelines
import Synchronization
import TestSupport
import Testing

/// detect-inactivity posting through the real libcurl webhook client to a local server that works, fails, is slow,
/// or is down.
@Suite(.ownThreads) struct InactivityWebhookTests {
    /// A local webhook receiver whose first `failures` deliveries answer 500 and that sleeps `delay` per request.
    final class Received: Sendable {
        let bodies = Mutex<[JSONValue]>([])
        let calls = Atomic<Int>(0)
    }

    final class Receiver: Sendable {
        let server: HTTPServer
        let received = Received()

        init(failures: Int = 0, delay: Double = 0) throws {
            var router = Router()
            let received = self.received
            router.post("/hook") { request in
                let call = received.calls.wrappingAdd(1, ordering: .relaxed).newValue
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                if call <= failures { return HTTPResponse(status: .internalServerError) }
                let body = try JSONParser.parse(request.body)
                received.bodies.withLock { $0.append(body) }
                return HTTPResponse(status: .noContent)
            }
            server = try TestServer.start(router: router)
        }

        var url: String { "http://127.0.0.1:\(server.port)/hook" }
    }

    func harness(url: String, timeout: Duration = .seconds(5)) throws -> Harness {
        var configuration = WebhookClient.Configuration(url: url)
        configuration.timeout = timeout
        configuration.retryPolicy = RetryPolicy(
            maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50))
        let client = WebhookClient(configuration: configuration, logger: TestServer.quietLogger)
        let harness = try Harness(services: StageServices(inactivityWebhook: client))
        try Attempts.insert(InactivityTests.data(), into: harness.database)
        return harness
    }

    @Test func deliversAfterTransientFailures() throws {
        let receiver = try Receiver(failures: 2)
        defer { receiver.server.stop() }
        let record = try harness(url: receiver.url).run(.detectInactivity)
        #expect(record.counts["notified"] == 1)
        #expect(record.counts["webhook_failures"] == 0)
        #expect(receiver.received.calls.load(ordering: .relaxed) == 3)
        let learners = receiver.received.bodies.withLock { $0 }.first?["learners"]?.arrayValue
        #expect(learners?.first?["user_id"] == "inactive")
        #expect(learners?.first?["days_inactive"] == 16)
    }

    @Test func slowServerTimesOutAndIsCounted() throws {
        let receiver = try Receiver(delay: 1.5)
        defer { receiver.server.stop() }
        // The database is set up first: only the run itself is timed (a loaded machine makes set-up slow).
        let harness = try harness(url: receiver.url, timeout: .milliseconds(200))
        let start = Date()
        let record = try harness.run(.detectInactivity)
        #expect(record.status == .succeeded)
        #expect(record.counts["webhook_failures"] == 1)
        #expect(record.counts["inactive"] == 1, "the detection itself is kept")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func serverDownIsCountedNotFatal() throws {
        let record = try harness(url: "http://127.0.0.1:9/hook").run(.detectInactivity)
        #expect(record.status == .succeeded)
        #expect(record.counts["webhook_failures"] == 1)
        #expect(record.counts["notified"] == 0)
    }
}
