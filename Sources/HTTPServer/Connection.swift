/// A request whose head has been accepted and whose body is being read.
struct PendingRequest {
    var parsed: ParsedHead
    var route: Route
    var parameters: [String: String]
    var requestID: String
    var started: UInt64
    var bodyLimit: Int
    var inflatedLimit: Int
    var remaining = 0
    var chunked: ChunkedDecoder?
    var body: [UInt8] = []

    /// A gzip body is inflated by the worker that runs the handler; routes that answer on the loop get it inflated
    /// there. A request without a body has nothing to inflate, whatever its Content-Encoding says.
    var inflatesInWorker: Bool {
        parsed.gzipBody && parsed.framing != .none && !route.runsInline && route.fastPath == nil
    }
}

/// One client connection. Owned by exactly one event loop and touched only on that loop's thread; workers see only
/// the id and file descriptor they are given, never the object.
final class Connection {
    enum Phase {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// Reading the body of `pending`.
        case readingBody
        /// A handler is running; further input stays buffered (pipelining) until its response is queued.
        case processing
        /// The final response is written and the write side shut; input is read and discarded until EOF or timeout,
        /// so that the client receives the response instead of a reset.
        case lingering
    }

    let id: UInt64
    let fd: Int32
    var phase: Phase = .awaitingHead
    /// Set while a worker runs this connection's handler (and may send on its socket); see `Handoff`.
    var workerHandoff: Handoff?
    /// The loop must close the connection once the worker's response is back (it may not close it before: the
    /// worker may be writing to the socket).
    var closeWhenBack = false
    var pending: PendingRequest?
    var input: [UInt8] = []
    var consumed = 0
    /// How far the current head has been scanned for its end, relative to `consumed`.
    var scanned = 0
    var output: [UInt8] = []
    var written = 0
    var closeAfterFlush = false
    /// Whether the close after the final response must linger because unread request bytes may follow.
    var lingerOnClose = false
    var peerClosed = false
    var isClosed = false
    var requestsServed = 0
    /// The epoll events currently registered.
    var events: UInt32
    /// When the current head (or the first one, for a new connection) must have arrived.
    var headDeadline: UInt64?
    /// When an idle keep-alive connection is closed.
    var idleDeadline: UInt64?
    /// When a body that makes no progress is abandoned, or a lingering close ends.
    var progressDeadline: UInt64?

    init(id: UInt64, fd: Int32, events: UInt32) {
        self.id = id
        self.fd = fd
        self.events = events
    }

    var unreadCount: Int { input.count - consumed }

    /// Drops consumed input, keeping a small buffer's capacity for the next request.
    func compactInput() {
        if consumed == input.count {
            if input.capacity > 64 * 1024 {
                input = []
            } else {
                input.removeAll(keepingCapacity: true)
            }
            consumed = 0
        } else if consumed > 64 * 1024 {
            input.removeFirst(consumed)
            consumed = 0
        }
    }
}
