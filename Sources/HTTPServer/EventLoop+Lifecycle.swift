import CSystem
import Glibc

extension EventLoop {
    /// Applies the deadlines of every connection (head, body, idle, linger), and takes back connections whose worker
    /// answered on the socket while the loop was not looking.
    func sweep(now: UInt64) {
        for case let connection? in connections {
            if connection.state.isProcessing {
                if let handoff = connection.workerHandoff, handoff.isWithLoop {
                    takeBackFromWorker(connection)
                    process(connection)
                }
                continue
            }
            switch connection.state.deadlineCheck(now: now, buffered: connection.unreadCount) {
            case .close:
                close(connection)
            case .respondTimeout(let reason):
                timedOut(connection, reason)
            default:
                break
            }
        }
    }

    /// Answers 408 for a request whose head or body did not arrive in time; the connection closes after it.
    private func timedOut(_ connection: Connection, _ reason: ConnectionStateMachine.Timeout) {
        let message: String
        switch reason {
        case .head:
            message = "the request head did not arrive in time"
        case .body:
            message = "the request body stopped arriving"
        case .bodyDeadline:
            let configuration = context.configuration
            message =
                "the request body did not arrive in time (\(configuration.bodyDeadlineBase) s plus its length at "
                + "\(configuration.bodyMinimumRate) bytes/s)"
        }
        let error = HTTPError(.requestTimeout, code: .requestTimeout, message: message)
        let pending = connection.pending
        connection.pending = nil
        fail(
            connection, error, requestID: pending?.requestID ?? RequestID.generate(),
            route: pending?.route.template ?? "unmatched", head: pending?.parsed.head)
    }

    /// Stops accepting; idle connections close now, the others after their current response.
    func startDraining() {
        draining = true
        epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil)
        for case let connection? in connections {
            reclaim(connection)
            if connection.state.drain(buffered: connection.unreadCount) == .close { close(connection) }
        }
    }

    func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        if connection.workerHandoff != nil && !reclaim(connection) {
            // A worker may be writing to this socket: closing now could give its number to another connection.
            detach(connection)
            return
        }
        connection.state.closed()
        epoll_ctl(epoll, EPOLL_CTL_DEL, connection.fd, nil)
        Glibc.close(connection.fd)
        connections[Int(connection.fd)] = nil
        liveConnections -= 1
        context.statistics.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Closes even a connection a worker still holds, at the end of shutdown: the socket is shut down (the client sees
    /// the connection end) but its descriptor is left open, so a late write by the worker cannot reach a reused
    /// descriptor number; the process is about to exit.
    func forceClose(_ connection: Connection) {
        if connection.workerHandoff != nil && !reclaim(connection) {
            shutdown(connection.fd, Int32(SHUT_RDWR))
            detach(connection)
            connection.state.closed()
            liveConnections -= 1
            context.statistics.openConnections.wrappingSubtract(1, ordering: .relaxed)
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
}
