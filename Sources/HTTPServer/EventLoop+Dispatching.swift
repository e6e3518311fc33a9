import Glibc
import Gzip

extension EventLoop {
    /// Runs a complete request: on the loop when its route answers inline (or from its fast path), otherwise on a
    /// worker. A full worker queue answers 503 with `Retry-After` instead of queueing.
    func dispatch(_ pending: PendingRequest, on connection: Connection) {
        let head = pending.parsed.head
        guard let query = QueryParameters(raw: head.query) else {
            reject(
                connection, head, .badRequest("the query string has an invalid percent-encoding"), pending.requestID,
                false, pending.started, route: pending.route.template)
            return
        }
        let request = HTTPRequest(
            head: head, body: pending.body, pathParameters: pending.parameters, routeTemplate: pending.route.template,
            requestID: pending.requestID, query: query,
            gzipBodyLimit: pending.keepsGzipBody ? pending.inflatedLimit : nil)
        let keepAlive = head.keepAlive && !connection.state.peerClosed
        let context = self.context
        let route = pending.route
        let started = pending.started
        context.statistics.inFlight.wrappingAdd(1, ordering: .relaxed)
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
        let mayWriteDirectly =
            !connection.state.writePending && connection.unreadCount == 0 && !connection.state.peerClosed
        handoff.giveToWorker()
        connection.workerHandoff = handoff
        let pool = route.isProbe ? context.probePool : route.longRunning ? context.longPool : context.pool
        let inflatedLimit = pending.inflatesInWorker ? pending.inflatedLimit : nil
        let queued = pool.submit(wake: false) { [self] in
            let response: HTTPResponse
            if let inflatedLimit {
                response = Self.inflatingBody(of: request, limit: inflatedLimit, context: context) {
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
        guard !queued else {
            poolsToWake.append(pool)
            return
        }
        handoff.takeBack()
        connection.workerHandoff = nil
        context.statistics.inFlight.wrappingSubtract(1, ordering: .relaxed)
        reject(connection, head, Self.overloaded, pending.requestID, false, started, route: route.template)
    }

    /// The answer when the worker queue is full.
    static let overloaded = HTTPError(
        .serviceUnavailable, code: .overloaded, message: "the server is busy; retry shortly",
        headers: HTTPHeaders([("Retry-After", "1")]))

    /// Inflates a gzip request body (on a worker) and hands the request on; a body that will not inflate within
    /// `limit` is answered with its 413 or 400 here.
    static func inflatingBody(
        of request: HTTPRequest, limit: Int, context: ServerContext, _ respond: (HTTPRequest) -> HTTPResponse
    ) -> HTTPResponse {
        var request = request
        do {
            request.body = try Gzip.decompressBody(request.body, limit: limit)
        } catch {
            return context.configuration.renderError(error, request.requestID)
        }
        return respond(request)
    }

    /// Sends what the socket takes without blocking; returns the bytes sent.
    static func sendNow(_ bytes: [UInt8], on fd: Int32) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                // The base address is non-nil: the buffer holds at least `sent + 1` bytes.
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
    func takeBackFromWorker(_ connection: Connection) {
        connection.workerHandoff = nil
        _ = connection.state.responseSentByWorker(now: MonotonicClock.now())
        resumeReading(connection)
        connection.compactInput()
    }

    /// The loop needs the connection back (input arrived, the peer left, shutdown): asks the worker to report back,
    /// or takes the connection at once if the worker already gave it back. Returns true when the loop owns it now.
    @discardableResult
    func reclaim(_ connection: Connection) -> Bool {
        guard let handoff = connection.workerHandoff else { return true }
        if handoff.requestReport() { return false }
        takeBackFromWorker(connection)
        return true
    }
}
