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
            && !route.keepsGzipBody
    }

    /// A gzip body its route inflates itself (`Route.keepsGzipBody`): handed over compressed.
    var keepsGzipBody: Bool { parsed.gzipBody && parsed.framing != .none && route.keepsGzipBody }
}

/// One client connection: its buffers, its socket's epoll registration and its `ConnectionStateMachine`. Owned by
/// exactly one event loop and touched only on that loop's thread; workers see only the id and file descriptor they
/// are given, never the object.
final class Connection {
    let id: UInt64
    let fd: Int32
    /// Which phase the connection is in, and what to do on each event.
    var state: ConnectionStateMachine
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
    /// The epoll events currently registered.
    var events: UInt32

    init(id: UInt64, fd: Int32, events: UInt32, state: ConnectionStateMachine) {
        self.id = id
        self.fd = fd
        self.events = events
        self.state = state
    }

    var unreadCount: Int { input.count - consumed }

    var isClosed: Bool { state.isClosed }

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
