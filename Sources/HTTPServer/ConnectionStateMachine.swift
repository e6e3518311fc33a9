/// The phases of one client connection as a pure state machine: the event loop reports what happened (a head was
/// parsed, a response was queued, the output drained, the peer closed, a deadline check ran) and gets back what to
/// do next. No sockets, no clock reads: times come in as arguments (monotonic nanoseconds), so every transition can be
/// tested on its own. Parsing, routing, buffers and epoll registrations stay with the loop.
///
/// One request is in flight per connection at a time, so pipelined requests are answered in order: their bytes stay
/// buffered while a request is processed and its response written, and `writeDrained` says when to go on.
struct ConnectionStateMachine {
    /// The time limits of a connection, in nanoseconds.
    struct Timeouts: Equatable {
        /// A request head must arrive completely within this time of its first byte (or of the connection opening).
        var head: UInt64
        /// A keep-alive connection with no request for this long is closed.
        var idle: UInt64
        /// A request body that makes no progress for this long is abandoned.
        var body: UInt64
        /// A whole request body must arrive within this time plus its allowance at `bodyRate` (see `bodyDeadline`).
        var bodyBase: UInt64
        /// The slowest average rate, in bytes per second, at which a request body earns time beyond `bodyBase`.
        var bodyRate: UInt64
        /// How long input is read and discarded after a closing error response.
        var linger: UInt64 = 2_000_000_000
    }

    enum Phase: Equatable {
        /// Between requests: nothing of the next head has been looked at yet.
        case idle(until: UInt64)
        /// Waiting for (the rest of) a request head; a new connection starts here.
        case readingHead(until: UInt64)
        /// Reading a request body that must make progress by the deadline.
        case readingBody(until: UInt64)
        /// A request is with its handler (or being answered); further input stays buffered.
        case processing
        /// The final response is out and the write side shut: input is read and discarded until EOF or the deadline,
        /// so that the client receives the response instead of a reset.
        case lingering(until: UInt64)
        case closed
    }

    /// Why a request timed out; the loop answers 408 and closes.
    enum Timeout: Equatable {
        case head
        /// The body made no progress for the stall timeout.
        case body
        /// The body kept trickling in but did not complete within its deadline (base plus length at the rate).
        case bodyDeadline
    }

    /// What the loop does next.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Wait for more input.
        case readMore
        /// Buffered input may hold a request head: scan and parse it.
        case parseHead
        /// Buffered input belongs to the current request's body: decode it.
        case decodeBody
        /// The request is complete: hand it to its handler.
        case dispatch
        /// Stop watching for input for now (a client keeps sending while its request is processed).
        case pauseReading
        /// Stop watching for input for good: the peer sends nothing more.
        case stopReading
        /// Write the queued bytes.
        case write
        /// The response is out and the connection stays: go on with buffered input (a pipelined request) or wait.
        case keepAlive
        /// Shut the write side and discard input until the peer closes or the linger deadline passes.
        case linger
        /// Close the connection.
        case close
        /// Answer 408 for a request that did not arrive in time, then close.
        case respondTimeout(Timeout)
    }

    let timeouts: Timeouts
    private(set) var phase: Phase
    /// The peer shut its write side: no more input will come.
    private(set) var peerClosed = false
    /// The server is shutting down: no connection is kept alive after its current response.
    private(set) var draining = false
    /// Bytes are queued for the socket and not yet all written.
    private(set) var writePending = false
    /// The connection closes once the queued output is written.
    private(set) var closeAfterWrite = false
    /// That close lingers, because unread request bytes may follow.
    private(set) var lingerAfterWrite = false
    /// While a body is read: when it started, the most body bytes it may earn time for, and its whole deadline.
    private(set) var bodyStarted: UInt64 = 0
    private(set) var bodyAllowanceCap = 0
    private(set) var bodyDeadline: UInt64 = 0

    /// A new connection, which must send a request head within the head timeout.
    init(now: UInt64, timeouts: Timeouts) {
        self.timeouts = timeouts
        phase = .readingHead(until: now + timeouts.head)
    }

    var isClosed: Bool { phase == .closed }

    var isLingering: Bool {
        if case .lingering = phase { return true }
        return false
    }

    var isProcessing: Bool { phase == .processing }

    /// Whether a response may keep the connection open when the request asked for that.
    func allowsKeepAlive(requested: Bool) -> Bool { requested && !peerClosed && !draining }

    // MARK: Input

    /// What to do with the buffered input (`buffered` unread bytes). Called whenever the loop may make progress.
    func nextInputStep(buffered: Int) -> Action {
        guard !writePending else { return .none }
        switch phase {
        case .idle, .readingHead:
            guard buffered > 0 else { return peerClosed ? .close : .readMore }
            return .parseHead
        case .readingBody:
            return .decodeBody
        case .processing, .lingering, .closed:
            return .none
        }
    }

    /// The loop starts looking at buffered bytes for a head: after an idle time, the head deadline starts now.
    mutating func headStarted(now: UInt64) {
        if case .idle = phase { phase = .readingHead(until: now + timeouts.head) }
    }

    /// Bytes were read from the socket; `buffered` is what is now unread. A client that keeps sending while its
    /// request is processed is paused once more than `limit` bytes wait.
    func inputReceived(buffered: Int, limit: Int) -> Action {
        phase == .processing && buffered > limit ? .pauseReading : .readMore
    }

    /// The peer closed its side (read returned EOF).
    mutating func inputEnded() -> Action {
        peerClosed = true
        return isLingering ? .close : .stopReading
    }

    /// The buffered bytes do not yet hold a complete head (and are within the size limit).
    func headIncomplete() -> Action { peerClosed ? .close : .readMore }

    /// A complete head was parsed; the loop now routes it and either rejects, dispatches or reads its body.
    mutating func headReceived() {
        phase = .processing
    }

    /// The request has a body to read: `length` bytes, or (chunked, `length` nil) at most `limit`. The whole body
    /// must arrive by its deadline: the base time plus the declared length at the minimum rate; a chunked body earns
    /// the allowance of the bytes received so far, up to `limit`. Besides, it may never stall for the stall timeout.
    mutating func bodyExpected(now: UInt64, length: Int?, limit: Int) -> Action {
        bodyStarted = now
        bodyAllowanceCap = length ?? limit
        bodyDeadline = now + timeouts.bodyBase + allowance(for: length ?? 0)
        phase = .readingBody(until: min(now + timeouts.body, bodyDeadline))
        return .decodeBody
    }

    /// Some body bytes were consumed (`received` decoded so far): the stall deadline starts again, and a chunked
    /// body's whole deadline grows with what it has sent.
    mutating func bodyProgressed(now: UInt64, received: Int) {
        guard case .readingBody = phase else { return }
        let earned = bodyStarted + timeouts.bodyBase + allowance(for: min(received, bodyAllowanceCap))
        bodyDeadline = max(bodyDeadline, earned)
        phase = .readingBody(until: min(now + timeouts.body, bodyDeadline))
    }

    /// The time `bytes` may take at the minimum body rate, in nanoseconds (bytes are capped at 16 GiB, so that the
    /// product cannot overflow).
    func allowance(for bytes: Int) -> UInt64 {
        let capped = UInt64(min(max(bytes, 0), 1 << 34))
        return capped * 1_000_000_000 / max(timeouts.bodyRate, 1)
    }

    /// The body is still incomplete after decoding all buffered input.
    func bodyIncomplete() -> Action { peerClosed ? .close : .readMore }

    /// The body is complete: the request goes to its handler.
    mutating func bodyComplete() -> Action {
        phase = .processing
        return .dispatch
    }

    // MARK: Output

    /// A complete response is queued. It keeps the connection only when `keepAlive` says so and the server is not
    /// draining; a close after it lingers when `lingerOnClose` (request bytes may still be on their way).
    mutating func responseReady(keepAlive: Bool, lingerOnClose: Bool, now: UInt64) -> Action {
        guard !isClosed else { return .none }
        phase = .idle(until: now + timeouts.idle)
        if !keepAlive || draining { closeAfterWrite = true }
        lingerAfterWrite = lingerOnClose
        writePending = true
        return .write
    }

    /// An interim response (`100 Continue`) is queued; the request's phase does not change.
    mutating func interimResponseReady() -> Action {
        guard !isClosed else { return .none }
        writePending = true
        return .write
    }

    /// All queued bytes are written. The time is read only when the connection starts lingering.
    mutating func writeDrained(now: @autoclosure () -> UInt64) -> Action {
        writePending = false
        guard closeAfterWrite else { return .keepAlive }
        if lingerAfterWrite && !peerClosed {
            phase = .lingering(until: now() + timeouts.linger)
            return .linger
        }
        return .close
    }

    /// A worker wrote the whole response on the socket itself and gave the connection back.
    mutating func responseSentByWorker(now: UInt64) -> Action {
        guard !isClosed else { return .none }
        phase = .idle(until: now + timeouts.idle)
        return .keepAlive
    }

    // MARK: Time and lifecycle

    /// Checks the current deadline; `buffered` is the unread input. A processing request has no deadline here.
    mutating func deadlineCheck(now: UInt64, buffered: Int) -> Action {
        switch phase {
        case .idle(let until):
            return now >= until && buffered == 0 ? .close : .none
        case .readingHead(let until):
            guard now >= until else { return .none }
            return buffered > 0 ? .respondTimeout(.head) : .close
        case .readingBody(let until):
            guard now >= until else { return .none }
            phase = .processing
            return .respondTimeout(now >= bodyDeadline ? .bodyDeadline : .body)
        case .lingering(let until):
            return now >= until ? .close : .none
        case .processing, .closed:
            return .none
        }
    }

    /// The server starts shutting down: an idle connection closes now, any other after its current response.
    mutating func drain(buffered: Int) -> Action {
        draining = true
        switch phase {
        case .idle, .readingHead:
            if buffered == 0 && !writePending { return .close }
        case .closed:
            return .none
        case .readingBody, .processing, .lingering:
            break
        }
        closeAfterWrite = true
        return .none
    }

    /// A request failed before or while it was read (malformed, too large, timed out): its error response is queued
    /// and the connection closes after it, lingering so that the client reads the answer.
    mutating func requestFailed(now: UInt64) -> Action {
        guard !isClosed else { return .none }
        phase = .processing
        return responseReady(keepAlive: false, lingerOnClose: true, now: now)
    }

    /// The loop closed the connection.
    mutating func closed() {
        phase = .closed
        writePending = false
    }
}
