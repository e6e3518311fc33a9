import CSystem
import Glibc

extension EventLoop {
    /// Answers a request that no handler will see (unknown route, failed check, bad body, full worker queue). The
    /// connection stays open only when the request had no body left unread.
    func reject(
        _ connection: Connection, _ head: HTTPRequestHead, _ error: HTTPError, _ requestID: String, _ bodyUnread: Bool,
        _ started: UInt64, route: String = "unmatched"
    ) {
        let keepAlive = connection.state.allowsKeepAlive(requested: head.keepAlive && !bodyUnread)
        let (bytes, bodyBytes) = context.serializer.serialize(
            context.configuration.renderError(error, requestID), method: head.method, requestHeaders: head.headers,
            requestID: requestID, keepAlive: keepAlive, http10KeepAlive: head.version == .http10)
        context.logAccess(
            method: head.method.rawValue, route: route, status: error.status.code, bytes: bodyBytes, started: started,
            requestID: requestID)
        queueResponse(bytes, keepAlive: keepAlive, lingerOnClose: bodyUnread, on: connection)
    }

    /// Answers a malformed or timed-out request and closes the connection, lingering so that the client reads the
    /// answer.
    func fail(
        _ connection: Connection, _ error: HTTPError, requestID: String, route: String = "unmatched",
        head: HTTPRequestHead? = nil
    ) {
        let bytes = context.errorBytes(error, requestID: requestID)
        context.logAccess(
            method: head?.method.rawValue ?? "-", route: route, status: error.status.code, bytes: 0,
            started: MonotonicClock.now(), requestID: requestID)
        guard connection.state.requestFailed(now: MonotonicClock.now()) == .write else { return }
        queueOutput(bytes, on: connection)
    }

    /// Queues a complete response; the connection then waits for its next request or closes, as its state says.
    func queueResponse(_ bytes: [UInt8], keepAlive: Bool, lingerOnClose: Bool = false, on connection: Connection) {
        let action = connection.state.responseReady(
            keepAlive: keepAlive, lingerOnClose: lingerOnClose, now: MonotonicClock.now())
        guard action == .write else { return }
        queueOutput(bytes, on: connection)
    }

    /// Queues an interim response (`100 Continue`) while the request's body is still to come.
    func queueInterimResponse(_ bytes: [UInt8], on connection: Connection) {
        guard connection.state.interimResponseReady() == .write else { return }
        queueBytes(bytes, on: connection)
    }

    /// Resets the input side for the next request and queues a final response's bytes.
    private func queueOutput(_ bytes: [UInt8], on connection: Connection) {
        resumeReading(connection)
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

    /// Writes queued output; returns false when the connection was closed (or lingers).
    func flush(_ connection: Connection) -> Bool {
        while connection.written < connection.output.count {
            let sent = connection.output.withUnsafeBytes { buffer in
                // The base address is non-nil: the buffer holds more than `written` bytes.
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
        switch connection.state.writeDrained(now: MonotonicClock.now()) {
        case .linger:
            startLingering(connection)
            return false
        case .close:
            close(connection)
            return false
        default:
            return true
        }
    }

    /// Shuts the write side and discards input until the peer closes or the linger deadline passes.
    private func startLingering(_ connection: Connection) {
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.input = []
        connection.consumed = 0
        setEvents(connection, Self.readEvents)
    }
}
