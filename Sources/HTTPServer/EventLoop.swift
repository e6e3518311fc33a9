import CSystem
import Foundation
import Glibc
import Gzip
import Synchronization

/// One epoll event loop on its own thread. It accepts connections, reads and parses requests, runs inline handlers,
/// hands the others to the worker pool and writes their responses in request order. Connections and epoll
/// registrations are touched only on this loop's thread; other threads talk to it through `post`, which queues a
/// message and wakes the loop through an eventfd.
final class EventLoop: @unchecked Sendable {
    enum Message {
        case completion(connectionID: UInt64, fd: Int32, bytes: [UInt8], keepAlive: Bool)
        case drain
        case forceClose
    }

    let index: Int
    /// The port served, for the thread's name (`loop-8080-0`), so that per-thread CPU can be told apart.
    let port: Int
    let context: ServerContext
    let listener: Int32
    let epoll: Int32
    let wakeFD: Int32
    private let inbox = Mutex<[Message]>([])
    private var connections: [Connection?] = []
    private var liveConnections = 0
    private var nextID: UInt64 = 0
    private var draining = false
    private var stopped = false
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var nextSweep: UInt64 = 0
    let finished = DispatchSemaphore(value: 0)

    static let readEvents = EPOLLIN.rawValue | EPOLLRDHUP.rawValue

    init(index: Int, port: Int, context: ServerContext, listener: Int32) throws(SocketError) {
        self.index = index
        self.port = port
        self.context = context
        self.listener = listener
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        register(wakeFD, events: EPOLLIN.rawValue)
        register(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    deinit {
        scratch.deallocate()
    }

    func start() {
        let name = "loop-\(port)-\(index)"
        let thread = Thread { [self] in
            csystem_set_thread_name(name)
            self.run()
            self.finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Queues a message for the loop thread and wakes it.
    func post(_ message: Message) {
        let wasEmpty = inbox.withLock { queue in
            queue.append(message)
            return queue.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    // MARK: The loop

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stopped {
            let count = epoll_wait(epoll, &events, Int32(events.count), 250)
            if count < 0 && errno != EINTR { break }
            for slot in 0..<max(0, Int(count)) {
                let event = events[slot]
                let fd = event.data.fd
                if fd == listener {
                    acceptConnections()
                } else if fd == wakeFD {
                    handleMessages()
                } else if let connection = connection(for: fd) {
                    handle(event.events, on: connection)
                }
            }
            let now = MonotonicClock.now()
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + 250_000_000
            }
            if draining && liveConnections == 0 { stopped = true }
        }
        for connection in connections.compactMap({ $0 }) { forceClose(connection) }
        Glibc.close(epoll)
        Glibc.close(wakeFD)
    }

    private func connection(for fd: Int32) -> Connection? {
        Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    private func handle(_ events: UInt32, on connection: Connection) {
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 && connection.workerHandoff != nil {
            // The peer is gone while a worker runs the handler: stop watching (these events cannot be masked) and
            // close once the worker is done with the socket.
            close(connection)
            return
        }
        if events & EPOLLERR.rawValue != 0 {
            close(connection)
            return
        }
        if events & EPOLLOUT.rawValue != 0 {
            guard flush(connection) else { return }
            if connection.output.isEmpty { process(connection) }
        }
        if !connection.isClosed,
            events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0
        {
            readAvailable(connection)
        }
    }

    private func handleMessages() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
        let messages = inbox.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
        for message in messages {
            switch message {
            case .completion(let id, let fd, let bytes, let keepAlive):
                guard let connection = connection(for: fd), connection.id == id, !connection.isClosed else { continue }
                connection.workerHandoff?.takeBack()
                connection.workerHandoff = nil
                if connection.closeWhenBack {
                    close(connection)
                    continue
                }
                queueResponse(bytes, keepAlive: keepAlive, on: connection)
                if !connection.isClosed && connection.output.isEmpty { process(connection) }
            case .drain:
                startDraining()
            case .forceClose:
                for connection in connections.compactMap({ $0 }) { forceClose(connection) }
                stopped = true
            }
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        guard !draining else { return }
        let configuration = context.configuration
        for _ in 0..<64 {
            guard let fd = Socket.accept(listener) else { return }
            let open = context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > configuration.maxConnections {
                context.openConnections.wrappingSubtract(1, ordering: .relaxed)
                rejectOverCapacity(fd)
                continue
            }
            nextID += 1
            let connection = Connection(id: nextID << 8 | UInt64(index), fd: fd, events: Self.readEvents)
            connection.headDeadline = MonotonicClock.now() + configuration.headerTimeoutNanoseconds
            if Int(fd) >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 1024))
            }
            connections[Int(fd)] = connection
            liveConnections += 1
            register(fd, events: Self.readEvents)
        }
    }

    /// Over the connection cap: a best-effort 503 and close, so that connections already open keep being served.
    private func rejectOverCapacity(_ fd: Int32) {
        let error = HTTPError(
            .serviceUnavailable, code: .tooManyConnections, message: "the server is at its connection limit",
            headers: HTTPHeaders([("Retry-After", "1")]))
        let bytes = ResponseSerializer.errorBytes(error, requestID: RequestID.generate())
        bytes.withUnsafeBytes { _ = Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(fd)
    }

    // MARK: Reading and parsing

    private func readAvailable(_ connection: Connection) {
        while true {
            let count = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
            if count > 0 {
                if case .lingering = connection.phase { continue }
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if count < scratch.count { break }
                // Stop reading while a handler runs and a client keeps sending; resume when its response is out.
                if case .processing = connection.phase, connection.unreadCount > context.configuration.maxHeaderBytes {
                    setEvents(connection, connection.events & ~EPOLLIN.rawValue)
                    break
                }
                continue
            }
            if count == 0 {
                connection.peerClosed = true
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            close(connection)
            return
        }
        if case .lingering = connection.phase {
            if connection.peerClosed { close(connection) }
            return
        }
        if connection.peerClosed {
            // The peer will send nothing more; stop watching for input so level-triggered epoll stays quiet.
            setEvents(connection, connection.events & ~Self.readEvents)
        }
        guard reclaim(connection) else { return }
        process(connection)
    }

    /// Advances the connection's state machine as far as the buffered input allows. Only one request per connection
    /// is in flight at a time, so pipelined responses leave in request order.
    private func process(_ connection: Connection) {
        while !connection.isClosed && connection.output.isEmpty {
            switch connection.phase {
            case .awaitingHead:
                guard readHead(connection) else { return }
            case .readingBody:
                guard readBody(connection) else { return }
            case .processing, .lingering:
                return
            }
        }
    }

    /// Returns true when the state changed and processing may continue.
    private func readHead(_ connection: Connection) -> Bool {
        let configuration = context.configuration
        guard connection.unreadCount > 0 else {
            if connection.peerClosed { close(connection) }
            return false
        }
        let now = MonotonicClock.now()
        if connection.headDeadline == nil {
            connection.headDeadline = now + configuration.headerTimeoutNanoseconds
            connection.idleDeadline = nil
        }
        var start = connection.consumed
        var scanned = connection.scanned
        let outcome = connection.input.withUnsafeBufferPointer {
            HeadScanner.scan($0, start: &start, scanned: &scanned)
        }
        connection.consumed = start
        connection.scanned = scanned
        switch outcome {
        case .bareLineFeed:
            fail(connection, RequestHeadParser.malformed("line ends must be CRLF"), requestID: RequestID.generate())
            return false
        case .incomplete:
            if connection.unreadCount > configuration.maxHeaderBytes {
                fail(connection, Self.headTooLarge(configuration.maxHeaderBytes), requestID: RequestID.generate())
            } else if connection.peerClosed {
                close(connection)
            }
            return false
        case .complete(let end):
            guard end - connection.consumed <= configuration.maxHeaderBytes else {
                fail(connection, Self.headTooLarge(configuration.maxHeaderBytes), requestID: RequestID.generate())
                return false
            }
            let parsed: ParsedHead
            do {
                parsed = try connection.input.withUnsafeBufferPointer { (buffer) throws(HTTPError) -> ParsedHead in
                    try RequestHeadParser.parse(UnsafeBufferPointer(rebasing: buffer[connection.consumed..<end]))
                }
            } catch {
                fail(connection, error, requestID: RequestID.generate())
                return false
            }
            connection.consumed = end
            connection.scanned = 0
            connection.headDeadline = nil
            return accept(parsed, on: connection, started: now)
        }
    }

    static func headTooLarge(_ limit: Int) -> HTTPError {
        HTTPError(
            .requestHeaderFieldsTooLarge, code: .headersTooLarge,
            message: "request line and headers exceed \(limit) bytes")
    }

    /// Routes a parsed head, runs its head check and limits, and either dispatches it or starts reading its body.
    private func accept(_ parsed: ParsedHead, on connection: Connection, started: UInt64) -> Bool {
        let requestID = RequestID.from(parsed.head.headers)
        let head = parsed.head
        let hasBody = parsed.framing != .none
        let route: Route
        let parameters: [String: String]
        switch context.router.match(method: head.method, path: head.path) {
        case .found(let found, let foundParameters):
            route = found
            parameters = foundParameters
        case .notFound:
            reject(connection, head, HTTPError.notFound("no route for \(head.path)"), requestID, hasBody, started)
            return !connection.isClosed
        case .badPath:
            reject(
                connection, head, .badRequest("the path has an invalid percent-encoding"), requestID, hasBody, started)
            return !connection.isClosed
        case .methodNotAllowed(let allowed):
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            let error = HTTPError(
                .methodNotAllowed, code: .methodNotAllowed, message: "\(head.method.rawValue) is not allowed here",
                headers: HTTPHeaders([("Allow", list)]))
            reject(connection, head, error, requestID, hasBody, started)
            return !connection.isClosed
        }
        if let check = route.headCheck, let error = check(head) {
            reject(connection, head, error, requestID, hasBody, started, route: route.template)
            return !connection.isClosed
        }
        let bodyLimit = route.bodyLimit ?? context.configuration.defaultBodyLimit
        var pending = PendingRequest(
            parsed: parsed, route: route, parameters: parameters, requestID: requestID, started: started,
            bodyLimit: bodyLimit, inflatedLimit: route.inflatedBodyLimit ?? bodyLimit)
        switch parsed.framing {
        case .none:
            dispatch(pending, on: connection)
            return !connection.isClosed
        case .length(let length):
            guard length <= bodyLimit else {
                reject(
                    connection, head, ChunkedDecoder.tooLarge(bodyLimit), requestID, true, started,
                    route: route.template)
                return false
            }
            pending.remaining = length
            pending.body.reserveCapacity(length)
        case .chunked:
            pending.chunked = ChunkedDecoder(bodyLimit: bodyLimit)
        }
        connection.pending = pending
        connection.phase = .readingBody
        connection.progressDeadline = MonotonicClock.now() + context.configuration.bodyTimeoutNanoseconds
        if parsed.expectContinue && connection.unreadCount == 0 {
            queueBytes(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), on: connection)
        }
        return !connection.isClosed
    }

    /// Reads body bytes; returns true when the request was dispatched (or failed) and processing may continue.
    private func readBody(_ connection: Connection) -> Bool {
        guard var pending = connection.pending else { return false }
        let before = connection.consumed
        var complete = false
        if var decoder = pending.chunked {
            var index = connection.consumed
            do {
                try connection.input.withUnsafeBufferPointer { (buffer) throws(HTTPError) in
                    try decoder.decode(buffer, index: &index, body: &pending.body)
                }
            } catch {
                connection.pending = nil
                fail(
                    connection, error, requestID: pending.requestID, route: pending.route.template,
                    head: pending.parsed.head)
                return false
            }
            connection.consumed = index
            pending.chunked = decoder
            complete = decoder.isDone
        } else {
            let take = min(pending.remaining, connection.unreadCount)
            pending.body.append(contentsOf: connection.input[connection.consumed..<connection.consumed + take])
            connection.consumed += take
            pending.remaining -= take
            complete = pending.remaining == 0
        }
        if connection.consumed != before {
            connection.progressDeadline = MonotonicClock.now() + context.configuration.bodyTimeoutNanoseconds
        }
        connection.compactInput()
        guard complete else {
            connection.pending = pending
            if connection.peerClosed { close(connection) }
            return false
        }
        connection.pending = nil
        connection.progressDeadline = nil
        // A large gzip body takes milliseconds to inflate: a route that runs on a worker inflates it there, so the
        // loop's other connections never wait for it.
        if pending.parsed.gzipBody && !pending.inflatesInWorker {
            do {
                pending.body = try Gzip.decompressBody(pending.body, limit: pending.inflatedLimit)
            } catch {
                connection.phase = .processing
                reject(
                    connection, pending.parsed.head, error, pending.requestID, false, pending.started,
                    route: pending.route.template)
                return !connection.isClosed
            }
        }
        dispatch(pending, on: connection)
        return !connection.isClosed
    }

    // MARK: Dispatching and responding

    private func dispatch(_ pending: PendingRequest, on connection: Connection) {
        connection.phase = .processing
        let head = pending.parsed.head
        guard let query = QueryParameters(raw: head.query) else {
            reject(
                connection, head, .badRequest("the query string has an invalid percent-encoding"), pending.requestID,
                false, pending.started, route: pending.route.template)
            return
        }
        let request = HTTPRequest(
            head: head, body: pending.body, pathParameters: pending.parameters, routeTemplate: pending.route.template,
            requestID: pending.requestID, query: query)
        let keepAlive = head.keepAlive && !connection.peerClosed
        let context = self.context
        let route = pending.route
        let started = pending.started
        var inlineResponse = route.fastPath?(request)
        if inlineResponse == nil && route.runsInline { inlineResponse = context.respond(to: request, route: route) }
        if let response = inlineResponse {
            let (bytes, keepAlive) = context.finish(response, request: request, keepAlive: keepAlive, started: started)
            queueResponse(bytes, keepAlive: keepAlive, on: connection)
            return
        }
        let id = connection.id
        let fd = connection.fd
        let handoff = Handoff()
        // The worker may answer on the socket itself only when the loop has nothing else queued for this
        // connection: no output, no pipelined input already read, no pending close.
        let mayWriteDirectly = connection.output.isEmpty && connection.unreadCount == 0 && !connection.peerClosed
        handoff.giveToWorker()
        connection.workerHandoff = handoff
        let pool = route.longRunning ? context.longPool : context.pool
        let inflatedLimit = pending.inflatesInWorker ? pending.inflatedLimit : nil
        pool.submit { [self] in
            let response: HTTPResponse
            if let inflatedLimit {
                response = Self.inflatingBody(of: request, limit: inflatedLimit) {
                    context.respond(to: $0, route: route)
                }
            } else {
                response = context.respond(to: request, route: route)
            }
            let (bytes, keepAlive) = context.finish(response, request: request, keepAlive: keepAlive, started: started)
            var sent = 0
            if mayWriteDirectly && keepAlive {
                sent = Self.sendNow(bytes, on: fd)
                if sent == bytes.count && handoff.returnFromWorker() { return }
            }
            self.post(.completion(connectionID: id, fd: fd, bytes: Array(bytes[sent...]), keepAlive: keepAlive))
        }
    }

    /// Inflates a gzip request body (on a worker) and hands the request on; a body that will not inflate within
    /// `limit` is answered with its 413 or 400 here.
    static func inflatingBody(
        of request: HTTPRequest, limit: Int, _ respond: (HTTPRequest) -> HTTPResponse
    ) -> HTTPResponse {
        var request = request
        do {
            request.body = try Gzip.decompressBody(request.body, limit: limit)
        } catch {
            return error.response(requestID: request.requestID)
        }
        return respond(request)
    }

    /// Sends what the socket takes without blocking; returns the bytes sent.
    static func sendNow(_ bytes: [UInt8], on fd: Int32) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return sent
    }

    /// The worker sent the response and gave the connection back; the loop notices now and resets it for the next
    /// request.
    private func takeBackFromWorker(_ connection: Connection) {
        connection.workerHandoff = nil
        connection.phase = .awaitingHead
        connection.requestsServed += 1
        connection.idleDeadline = MonotonicClock.now() + context.configuration.idleTimeoutNanoseconds
        connection.headDeadline = nil
        if connection.events & EPOLLIN.rawValue == 0 && !connection.peerClosed {
            setEvents(connection, connection.events | EPOLLIN.rawValue)
        }
        connection.compactInput()
    }

    /// The loop needs the connection back (input arrived, the peer left, shutdown): asks the worker to report back,
    /// or takes the connection at once if the worker already gave it back. Returns true when the loop owns it now.
    @discardableResult
    private func reclaim(_ connection: Connection) -> Bool {
        guard let handoff = connection.workerHandoff else { return true }
        if handoff.requestReport() { return false }
        takeBackFromWorker(connection)
        return true
    }

    /// Answers a request that no handler will see (unknown route, failed check, bad body). The connection stays open
    /// only when the request had no body left unread.
    private func reject(
        _ connection: Connection, _ head: HTTPRequestHead, _ error: HTTPError, _ requestID: String, _ bodyUnread: Bool,
        _ started: UInt64, route: String = "unmatched"
    ) {
        connection.phase = .processing
        let keepAlive = head.keepAlive && !bodyUnread && !connection.peerClosed && !draining
        let (bytes, bodyBytes) = context.serializer.serialize(
            error.response(requestID: requestID), method: head.method, requestHeaders: head.headers,
            requestID: requestID, keepAlive: keepAlive, http10KeepAlive: head.version == .http10)
        context.logAccess(
            method: head.method.rawValue, route: route, status: error.status.code, bytes: bodyBytes, started: started,
            requestID: requestID)
        connection.lingerOnClose = bodyUnread
        queueResponse(bytes, keepAlive: keepAlive, on: connection)
    }

    /// Answers a malformed request and closes the connection, lingering so that the client reads the answer.
    private func fail(
        _ connection: Connection, _ error: HTTPError, requestID: String, route: String = "unmatched",
        head: HTTPRequestHead? = nil
    ) {
        connection.phase = .processing
        let bytes = ResponseSerializer.errorBytes(error, requestID: requestID)
        context.logAccess(
            method: head?.method.rawValue ?? "-", route: route, status: error.status.code, bytes: 0,
            started: MonotonicClock.now(), requestID: requestID)
        connection.lingerOnClose = true
        queueResponse(bytes, keepAlive: false, on: connection)
    }

    /// Queues a complete response and resets the connection for its next request.
    private func queueResponse(_ bytes: [UInt8], keepAlive: Bool, on connection: Connection) {
        connection.phase = .awaitingHead
        connection.requestsServed += 1
        if !keepAlive || draining { connection.closeAfterFlush = true }
        if !(connection.events & EPOLLIN.rawValue != 0) && !connection.peerClosed {
            setEvents(connection, connection.events | EPOLLIN.rawValue)
        }
        connection.idleDeadline = MonotonicClock.now() + context.configuration.idleTimeoutNanoseconds
        connection.headDeadline = nil
        connection.compactInput()
        queueBytes(bytes, on: connection)
    }

    private func queueBytes(_ bytes: [UInt8], on connection: Connection) {
        if connection.output.isEmpty {
            connection.output = bytes
            connection.written = 0
        } else {
            connection.output.append(contentsOf: bytes)
        }
        _ = flush(connection)
    }

    /// Writes queued output; returns false when the connection was closed.
    private func flush(_ connection: Connection) -> Bool {
        while connection.written < connection.output.count {
            let sent = connection.output.withUnsafeBytes { buffer in
                Glibc.send(
                    connection.fd, buffer.baseAddress! + connection.written, buffer.count - connection.written,
                    Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.written += sent
                continue
            }
            if sent < 0 && errno == EINTR { continue }
            if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setEvents(connection, connection.events | EPOLLOUT.rawValue)
                return true
            }
            close(connection)
            return false
        }
        connection.output = []
        connection.written = 0
        if connection.events & EPOLLOUT.rawValue != 0 {
            setEvents(connection, connection.events & ~EPOLLOUT.rawValue)
        }
        if connection.closeAfterFlush {
            if connection.lingerOnClose && !connection.peerClosed {
                startLingering(connection)
            } else {
                close(connection)
            }
            return false
        }
        return true
    }

    private func startLingering(_ connection: Connection) {
        connection.phase = .lingering
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.input = []
        connection.consumed = 0
        connection.progressDeadline = MonotonicClock.now() + 2_000_000_000
        setEvents(connection, Self.readEvents)
    }

    // MARK: Timeouts, draining, bookkeeping

    /// Closes connections whose head, body or idle time ran out.
    private func sweep(now: UInt64) {
        for case let connection? in connections {
            switch connection.phase {
            case .awaitingHead:
                if let deadline = connection.headDeadline, now >= deadline {
                    if connection.unreadCount > 0 {
                        let error = HTTPError(
                            .requestTimeout, code: .requestTimeout, message: "the request head did not arrive in time"
                        )
                        fail(connection, error, requestID: RequestID.generate())
                    } else {
                        close(connection)
                    }
                } else if let deadline = connection.idleDeadline, now >= deadline, connection.unreadCount == 0 {
                    close(connection)
                }
            case .readingBody:
                if let deadline = connection.progressDeadline, now >= deadline {
                    let error = HTTPError(
                        .requestTimeout, code: .requestTimeout, message: "the request body stopped arriving")
                    connection.pending = nil
                    fail(connection, error, requestID: RequestID.generate())
                }
            case .lingering:
                if let deadline = connection.progressDeadline, now >= deadline { close(connection) }
            case .processing:
                if let handoff = connection.workerHandoff, handoff.isWithLoop {
                    takeBackFromWorker(connection)
                    process(connection)
                }
            }
        }
    }

    private func startDraining() {
        draining = true
        epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil)
        for case let connection? in connections {
            reclaim(connection)
            if case .awaitingHead = connection.phase, connection.unreadCount == 0, connection.output.isEmpty {
                close(connection)
            } else {
                connection.closeAfterFlush = true
            }
        }
    }

    private func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        if connection.workerHandoff != nil && !reclaim(connection) {
            // A worker may be writing to this socket: closing now could give its number to another connection.
            detach(connection)
            return
        }
        connection.isClosed = true
        epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nil)
        Glibc.close(connection.fd)
        connections[Int(connection.fd)] = nil
        liveConnections -= 1
        context.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Closes even a connection a worker still holds, at the end of shutdown: the socket is shut down (the client sees
    /// the connection end) but its descriptor is left open, so a late write by the worker cannot reach a reused
    /// descriptor number; the process is about to exit.
    private func forceClose(_ connection: Connection) {
        if connection.workerHandoff != nil && !reclaim(connection) {
            shutdown(connection.fd, Int32(SHUT_RDWR))
            detach(connection)
            connection.isClosed = true
            liveConnections -= 1
            context.openConnections.wrappingSubtract(1, ordering: .relaxed)
            return
        }
        close(connection)
    }

    /// Stops watching a connection whose socket a worker may still write to; it is closed when the worker is done.
    private func detach(_ connection: Connection) {
        connection.closeWhenBack = true
        if connection.events != 0 {
            epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nil)
            connection.events = 0
        }
    }

    private func register(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event)
    }

    private func setEvents(_ connection: Connection, _ events: UInt32) {
        guard events != connection.events, !connection.closeWhenBack else { return }
        connection.events = events
        var event = epoll_event()
        event.events = events
        event.data.fd = connection.fd
        epoll_ctl(epoll, EPOLL_CTL_MOD, connection.fd, &event)
    }
}
