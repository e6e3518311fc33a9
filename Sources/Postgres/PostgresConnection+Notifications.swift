import CLibPQ
import Glibc

extension PostgresConnection {
    /// Starts listening for notifications on `channel` (see `waitForNotifications`).
    public func listen(_ channel: String) throws(PostgresError) {
        try execute("LISTEN \(identifier: channel)")
    }

    /// Waits up to `timeout` seconds for notifications on channels this connection LISTENs to and returns their
    /// channels (empty on timeout). Throws when the connection broke.
    public func waitForNotifications(timeout: Double) throws(PostgresError) -> [String] {
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(timeout * 1000))
        if ready < 0 && errno != EINTR { throw PostgresError(.connection, message: "poll failed") }
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else { throw connectionError() }
        }
        var channels: [String] = []
        while let notification = PQnotifies(handle) {
            channels.append(String(cString: notification.pointee.relname))
            PQfreemem(notification)
        }
        guard PQstatus(handle) == CONNECTION_OK else { throw connectionError() }
        return channels
    }
}
