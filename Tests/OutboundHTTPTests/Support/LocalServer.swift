import Glibc
import HTTPServer
import Logging
import OutboundHTTP
import Synchronization
import TestSupport

/// A logger that drops everything, for code under test that wants one.
let quietLogger = TestServer.quietLogger

/// The client every test uses.
let quietClient = HTTPClient(logger: quietLogger)

/// Our own HTTP server on an ephemeral loopback port, as the far end of outbound calls.
struct LocalServer: Sendable {
    let server: HTTPServer

    /// Starts a server with `router`; stop it with `stop()`.
    static func start(_ router: Router) throws -> LocalServer {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.workerThreads = 8
        configuration.gracePeriod = 2
        let server = HTTPServer(configuration: configuration, router: router, logger: quietLogger)
        try server.start()
        return LocalServer(server: server)
    }

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(server.port)\(path)"
    }

    /// Shuts the server down and waits (in-flight slow handlers finish first, within the grace period).
    func stop() {
        server.shutdown()
        server.waitUntilStopped()
    }
}

/// Requests a test server received, shared between its handler threads and the test.
final class RequestLog: Sendable {
    private let requests = Mutex<[HTTPRequest]>([])

    func record(_ request: HTTPRequest) -> Int {
        requests.withLock { list in
            list.append(request)
            return list.count
        }
    }

    var all: [HTTPRequest] { requests.withLock { $0 } }
    var count: Int { requests.withLock { $0.count } }
}
