import CLibPQ

/// Asks the server to cancel whatever statement a connection is running, from any thread (`PQcancel`). The
/// connection's owner then sees its statement fail with SQLSTATE 57014 (`query_canceled`); a connection that is
/// between statements is not affected.
///
/// `@unchecked Sendable`: libpq documents `PQcancel` as safe to call from any thread (it opens a connection of its own
/// and only reads the `PGcancel` object), and the object is freed only in `deinit`, when no one can call it.
public final class PostgresCancel: @unchecked Sendable {
    private let handle: OpaquePointer

    init?(_ connection: OpaquePointer) {
        guard let handle = PQgetCancel(connection) else { return nil }
        self.handle = handle
    }

    deinit { PQfreeCancel(handle) }

    /// Sends the cancel request; false when it could not be delivered (the server is unreachable).
    @discardableResult
    public func cancel() -> Bool {
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
    }
}

extension PostgresConnection {
    /// A handle that cancels this connection's running statement from another thread; nil if the connection is closed.
    public func cancelHandle() -> PostgresCancel? {
        isClosed ? nil : PostgresCancel(handle)
    }

    /// Whether `error` is the server cancelling a statement (SQLSTATE 57014), as `PostgresCancel` asks it to.
    public static func isCancellation(_ error: any Error) -> Bool {
        (error as? PostgresError)?.sqlState == "57014"
    }
}
