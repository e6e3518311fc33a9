import Foundation
import HTTPServer
import TestSupport
import Testing

/// The bounded worker queue, on a real server: a request that finds the queue full is answered 503 at once.
@Suite struct WorkerQueueTests {
    @Test func aFullWorkerQueueAnswers503WithRetryAfterInsteadOfQueueing() throws {
        let configuration = Fixtures.configuration {
            $0.workerThreads = 1
            $0.workerQueueCapacity = 1
        }
        try Fixtures.withServer(configuration) { port in
            let running = try TestConnection(port: port)
            try running.send(TestHTTP.requestBytes("GET", "/slow?seconds=1"))
            Thread.sleep(forTimeInterval: 0.3)
            let queued = try TestConnection(port: port)
            try queued.send(TestHTTP.requestBytes("GET", "/slow?seconds=0.1"))
            Thread.sleep(forTimeInterval: 0.2)

            let client = try TestConnection(port: port)
            let start = Date()
            let rejected = try client.request("GET", "/items/1")
            #expect(Date().timeIntervalSince(start) < 0.5)
            #expect(rejected.status == 503)
            #expect(rejected.header("Retry-After") == "1")
            #expect(rejected.text.contains(#""code":"overloaded""#))
            // Routes that answer on the event loop need no worker and are still served.
            #expect(try client.request("GET", "/hello").status == 200)

            #expect(try running.readResponse().text == "slow done")
            #expect(try queued.readResponse().text == "slow done")
            // The rejected request's connection stays open and is served once the queue has room.
            let served = try client.request("GET", "/items/1")
            #expect(served.status == 200)
            #expect(served.text.contains(#""id":"1""#))
        }
    }

}
