import CSystem
import Glibc

extension EventLoop {
    /// Reads what the socket has, then lets the connection make progress with it.
    func readAvailable(_ connection: Connection) {
        while true {
            let count = recv(connection.fd, scratch.baseAddress, scratch.count, 0)
            if count > 0 {
                if connection.state.isLingering { continue }
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                if count < scratch.count { break }
                // Stop reading while a handler runs and a client keeps sending; resume when its response is out.
                let limit = context.configuration.maxHeaderBytes
                if connection.state.inputReceived(buffered: connection.unreadCount, limit: limit) == .pauseReading {
                    setEvents(connection, connection.events & ~EPOLLIN.rawValue)
                    break
                }
                continue
            }
            if count == 0 {
                if connection.state.inputEnded() == .close {
                    close(connection)
                    return
                }
                // The peer will send nothing more; stop watching for input so level-triggered epoll stays quiet.
                setEvents(connection, connection.events & ~Self.readEvents)
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            close(connection)
            return
        }
        if connection.state.isLingering { return }
        guard reclaim(connection) else { return }
        process(connection)
    }

    /// Advances the connection as far as the buffered input allows. Only one request per connection is in flight at
    /// a time, so pipelined responses leave in request order.
    func process(_ connection: Connection) {
        while !connection.isClosed {
            switch connection.state.nextInputStep(buffered: connection.unreadCount) {
            case .parseHead:
                guard readHead(connection) else { return }
            case .decodeBody:
                guard readBody(connection) else { return }
            case .close:
                close(connection)
                return
            default:
                return
            }
        }
    }

    /// Scans and parses a request head; returns true when the state changed and processing may continue.
    private func readHead(_ connection: Connection) -> Bool {
        let maxHeaderBytes = context.configuration.maxHeaderBytes
        let now = MonotonicClock.now()
        connection.state.headStarted(now: now)
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
            if connection.unreadCount > maxHeaderBytes {
                fail(connection, Self.headTooLarge(maxHeaderBytes), requestID: RequestID.generate())
            } else if connection.state.headIncomplete() == .close {
                close(connection)
            }
            return false
        case .complete(let end):
            guard end - connection.consumed <= maxHeaderBytes else {
                fail(connection, Self.headTooLarge(maxHeaderBytes), requestID: RequestID.generate())
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
            connection.state.headReceived()
            return routeHead(parsed, on: connection, started: now)
        }
    }

    static func headTooLarge(_ limit: Int) -> HTTPError {
        HTTPError(
            .requestHeaderFieldsTooLarge, code: .headersTooLarge,
            message: "request line and headers exceed \(limit) bytes")
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
            connection.state.bodyProgressed(now: MonotonicClock.now(), received: pending.body.count)
        }
        connection.compactInput()
        guard complete else {
            connection.pending = pending
            if connection.state.bodyIncomplete() == .close { close(connection) }
            return false
        }
        connection.pending = nil
        _ = connection.state.bodyComplete()
        return dispatchComplete(pending, on: connection)
    }
}
