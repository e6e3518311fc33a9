/// What a `PostgresPool` reports as it lends connections, for the service's metrics. Plain closures, so that this
/// module depends on no metrics library: the service adapts them to its own metric objects. Each is called on the
/// borrowing thread, outside the pool's lock, and must be cheap.
public struct PoolObserver: Sendable {
    /// A borrower got a connection after waiting this many seconds; `probe` for `withConnection(within:)`.
    public var acquired: @Sendable (_ seconds: Double, _ probe: Bool) -> Void
    /// A borrower got none by its deadline (`timeout` or `poolExhausted`).
    public var timedOut: @Sendable (_ probe: Bool) -> Void
    /// Opening a new connection failed.
    public var connectionFailed: @Sendable () -> Void
    /// A new connection was opened in place of a broken one the pool discarded.
    public var reconnected: @Sendable () -> Void

    public init(
        acquired: @escaping @Sendable (Double, Bool) -> Void, timedOut: @escaping @Sendable (Bool) -> Void,
        connectionFailed: @escaping @Sendable () -> Void, reconnected: @escaping @Sendable () -> Void
    ) {
        self.acquired = acquired
        self.timedOut = timedOut
        self.connectionFailed = connectionFailed
        self.reconnected = reconnected
    }
}

/// A pool's figures at one moment.
public struct PoolUsage: Sendable, Equatable {
    /// Connections open (idle and borrowed).
    public var open: Int
    /// Connections borrowed.
    public var inUse: Int
    /// Borrowers waiting for a connection.
    public var waiting: Int

    public init(open: Int, inUse: Int, waiting: Int) {
        self.open = open
        self.inUse = inUse
        self.waiting = waiting
    }
}
