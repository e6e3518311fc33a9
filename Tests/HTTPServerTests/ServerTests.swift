import Foundation
import Gzip
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// Connection handling: concurrency, timeouts, limits, compression and shutdown.
@Suite(.ownThreads) struct ServerTests {
    @Test func thousandConcurrentConnectionsAreServed() throws {
        try Fixtures.withServer { port in
            var connections: [TestConnection] = []
            for _ in 0..<1000 { connections.append(try TestConnection(port: port)) }
            for (index, connection) in connections.enumerated() {
                try connection.send(TestHTTP.requestBytes("GET", "/items/\(index)"))
            }
            for (index, connection) in connections.enumerated() {
                let response = try connection.readResponse()
                #expect(response.status == 200)
                #expect(response.text.contains("\"\(index)\""))
            }
        }
    }

    /// Three handlers hold three of the four workers, blocked until the test releases them, while 50 other requests
    /// are served: what proves it is the order (all 50 answered while the three are provably still blocked), not a
    /// time limit that a loaded machine breaks. A stalled server fails the requests' 10 s client timeout.
    @Test func blockedHandlersDoNotStallOtherConnections() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var router = Fixtures.router()
        router.get("/blocked") { _ in
            entered.signal()
            release.wait()
            return .text("released")
        }
        let server = try TestServer.start(
            router: router, configuration: Fixtures.configuration { $0.workerThreads = 4 })
        defer {
            for _ in 0..<3 { release.signal() }
            server.stop()
        }
        let blocked = try (0..<3).map { _ in try TestConnection(port: server.port) }
        for connection in blocked { try connection.send(TestHTTP.requestBytes("GET", "/blocked")) }
        for _ in 0..<3 { try #require(entered.wait(timeout: .now() + 10) == .success) }
        for index in 0..<50 {
            let response = try TestHTTP.request(port: server.port, "GET", "/items/\(index)", timeout: 10)
            #expect(response.status == 200)
        }
        for connection in blocked {
            connection.setTimeout(0.05)
            #expect(throws: TestClientError.self) { try connection.readResponse() }
            connection.setTimeout(10)
        }
        for _ in 0..<3 { release.signal() }
        for connection in blocked { #expect(try connection.readResponse().text == "released") }
    }

    @Test func slowlorisConnectionsAreDroppedAndOthersServed() throws {
        try Fixtures.withServer(Fixtures.configuration { $0.headerTimeout = 1 }) { port in
            let slow = try (0..<20).map { _ in try TestConnection(port: port, timeout: 5) }
            for connection in slow { try connection.send("GET /hello HTTP/1.1\r\nHost: x\r\n") }
            let silent = try TestConnection(port: port, timeout: 5)
            for _ in 0..<10 { #expect(try TestHTTP.request(port: port, "GET", "/hello").status == 200) }
            Thread.sleep(forTimeInterval: 1.6)
            for connection in slow {
                let response = try connection.readResponse()
                #expect(response.status == 408)
                #expect(connection.isClosedByServer())
            }
            #expect(silent.isClosedByServer())
        }
    }

    @Test func idleKeepAliveConnectionsClose() throws {
        try Fixtures.withServer(Fixtures.configuration { $0.idleTimeout = 1 }) { port in
            let connection = try TestConnection(port: port, timeout: 5)
            #expect(try connection.request("GET", "/hello").status == 200)
            let start = Date()
            #expect(connection.isClosedByServer())
            #expect(Date().timeIntervalSince(start) > 0.7)
        }
    }

    @Test func connectionCapAnswers503AndKeepsServingOthers() throws {
        try Fixtures.withServer(Fixtures.configuration { $0.maxConnections = 5 }) { port in
            let open = try (0..<5).map { _ in try TestConnection(port: port) }
            for connection in open { #expect(try connection.request("GET", "/hello").status == 200) }
            let extra = try TestConnection(port: port)
            let rejected = try extra.readResponse()
            #expect(rejected.status == 503)
            #expect(rejected.text.contains("too_many_connections"))
            for connection in open { #expect(try connection.request("GET", "/hello").status == 200) }
        }
    }

    @Test func responsesAreCompressedWhenAccepted() throws {
        try Fixtures.withServer { port in
            let plain = try TestHTTP.request(port: port, "GET", "/large")
            #expect(plain.header("Content-Encoding") == nil)
            let compressed = try TestHTTP.request(
                port: port, "GET", "/large", headers: [("Accept-Encoding", "br, gzip")])
            #expect(compressed.header("Content-Encoding") == "gzip")
            #expect(compressed.header("Vary") == "Accept-Encoding")
            #expect(try Gzip.decompress(compressed.body, limit: 1 << 20) == plain.body)
            #expect(compressed.body.count < plain.body.count / 4)
            let refused = try TestHTTP.request(port: port, "GET", "/large", headers: [("Accept-Encoding", "gzip;q=0")])
            #expect(refused.header("Content-Encoding") == nil)
            let small = try TestHTTP.request(port: port, "GET", "/hello", headers: [("Accept-Encoding", "gzip")])
            #expect(small.header("Content-Encoding") == nil)
        }
    }

    @Test func gzipRequestBodiesAreInflatedWithALimit() throws {
        try Fixtures.withServer { port in
            let payload = Array("compressible text ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 10_000)
            let response = try TestHTTP.request(
                port: port, "POST", "/echo", headers: [("Content-Encoding", "gzip")], body: Gzip.compress(payload))
            #expect(response.status == 200)
            #expect(response.body == payload)
            // 50 MB of zeros compress to under 64 KiB: within the wire limit, far beyond the inflated limit.
            let bomb = try Gzip.compress([UInt8](repeating: 0, count: 50_000_000))
            #expect(bomb.count < 64 * 1024)
            let rejected = try TestHTTP.request(
                port: port, "POST", "/inflate", headers: [("Content-Encoding", "gzip")], body: bomb)
            #expect(rejected.status == 413)
            #expect(rejected.text.contains("inflated"))
            // A request without a body has nothing to inflate, whatever its Content-Encoding says.
            let noBody = try TestHTTP.request(
                port: port, "GET", "/items/7", headers: [("Content-Encoding", "gzip")])
            #expect(noBody.status == 200)
            let emptyBody = try TestHTTP.request(
                port: port, "POST", "/echo", headers: [("Content-Encoding", "gzip")], body: [])
            #expect(emptyBody.status == 200 && emptyBody.body.isEmpty)
            // Worker routes inflate on the worker, inline routes on the loop: the same answers either way.
            for path in ["/inflate", "/inflate-inline"] {
                let inflated = try TestHTTP.request(
                    port: port, "POST", path, headers: [("Content-Encoding", "gzip")], body: Gzip.compress(payload))
                #expect(inflated.text == "\(payload.count)")
                let tooLarge = try TestHTTP.request(
                    port: port, "POST", path, headers: [("Content-Encoding", "gzip")], body: bomb)
                #expect(tooLarge.status == 413)
            }
            let corrupt = try TestHTTP.request(
                port: port, "POST", "/echo", headers: [("Content-Encoding", "gzip")], body: Array("nope".utf8))
            #expect(corrupt.status == 400)
            let unknown = try TestHTTP.request(
                port: port, "POST", "/echo", headers: [("Content-Encoding", "br")], body: Array("x".utf8))
            #expect(unknown.status == 415)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequests() throws {
        let server = try TestServer.start(router: Fixtures.router())
        let port = server.port
        let inFlight = try TestConnection(port: port)
        try inFlight.send(TestHTTP.requestBytes("GET", "/slow?seconds=1"))
        let idle = try TestConnection(port: port)
        #expect(try idle.request("GET", "/hello").status == 200)
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        server.shutdown()
        #expect(idle.isClosedByServer())
        let response = try inFlight.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slow done")
        #expect(response.header("Connection") == "close")
        server.waitUntilStopped()
        #expect(Date().timeIntervalSince(start) < 4)
        #expect(throws: (any Error).self) { try TestConnection(port: port) }
    }

    @Test func shutdownGivesUpAfterTheGracePeriod() throws {
        let server = try TestServer.start(
            router: Fixtures.router(), configuration: Fixtures.configuration { $0.gracePeriod = 0.5 })
        let inFlight = try TestConnection(port: server.port)
        try inFlight.send(TestHTTP.requestBytes("GET", "/slow?seconds=3"))
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        server.stop()
        #expect(Date().timeIntervalSince(start) < 2.5)
        #expect(inFlight.isClosedByServer())
    }
}
