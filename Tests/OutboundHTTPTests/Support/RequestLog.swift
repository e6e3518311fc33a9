import HTTPServer
import Logging
import OutboundHTTP
import Synchronization
import TestSupport

/// A logger that drops everything, for code under test that wants one.
let quietLogger = TestServer.quietLogger

/// The client every test uses.
let quietClient = HTTPClient(logger: quietLogger)

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
