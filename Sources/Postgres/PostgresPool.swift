import Foundation
import Logging

/// A bounded pool of connections. Connections are borrowed for a scope and never handed out: `withConnection` and
/// `withTransaction`. When all are busy, a borrower waits up to the acquire timeout and then gets
/// `PostgresError.Kind.poolExhausted` (the HTTP layer answers 503). The acquire timeout bounds the whole wait:
/// waiting for a free connection, opening a new one (`timeout` when the server does not complete it) and checking an
/// idle one, so a stalled server makes borrowers fail in time instead of hanging. Broken connections are detected
/// when they are borrowed or when a statement fails, and replaced, so the pool recovers by itself after a server
/// restart.
public final class PostgresPool: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var connectionString: String
        /// Replaces the database named in the connection string (tests use one database per test).
        public var database: String?
        public var size = 8
        /// Seconds a borrower waits for a free connection.
        public var acquireTimeout: Double = 5
        /// The `application_name` of the pool's connections, as `pg_stat_activity` shows them.
        public var applicationName = Configuration.defaultApplicationName

        /// What pooled connections call themselves unless told otherwise.
        public static let defaultApplicationName = PostgresConnection.defaultApplicationName + " pool"

        public init(
            connectionString: String, database: String? = nil, size: Int = 8, acquireTimeout: Double = 5,
            applicationName: String = defaultApplicationName
        ) {
            self.connectionString = connectionString
            self.database = database
            self.size = size
            self.acquireTimeout = acquireTimeout
            self.applicationName = applicationName
        }
    }

    public let configuration: Configuration
    private let logger: Logger
    // `condition` guards `idle`, `openCount` and `closed`.
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0
    private var closed = false
    /// Borrowers waiting in `acquire`, and broken connections discarded but not yet replaced (for `reconnected`).
    private var waitingCount = 0
    private var discardedBroken = 0
    private let observer: PoolObserver?

    public init(configuration: Configuration, logger: Logger, observer: PoolObserver? = nil) {
        // Configuration is checked when the service starts (a size below 1 is refused there), never per request.
        precondition(configuration.size > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.logger = logger
        self.observer = observer
    }

    /// Open, borrowed and waiting, for metrics.
    public var usage: PoolUsage {
        condition.lock()
        defer { condition.unlock() }
        return PoolUsage(open: openCount, inUse: openCount - idle.count, waiting: waitingCount)
    }

    /// Borrows a connection for the duration of `body`. A connection left inside a transaction is rolled back.
    @discardableResult
    public func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let connection = try acquire()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Borrows a connection within `seconds` and runs `body` with every statement bounded by the same deadline, for
    /// probes that must answer quickly (readiness): a server that does not answer in time gives
    /// `PostgresError.Kind.timeout` (or `poolExhausted` when no connection became free), and the connection is closed.
    public func withConnection<Result>(within seconds: Double, _ body: (PostgresConnection) throws -> Result) throws
        -> Result
    {
        let deadline = Deadline(seconds: seconds)
        let connection = try acquire(by: deadline, probe: true)
        defer { release(connection) }
        return try connection.withDeadline(deadline) { try body(connection) }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (also when the connection
    /// broke in the middle, in which case the server has already discarded the transaction).
    @discardableResult
    public func withTransaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try withConnection { connection in try connection.transaction { try body(connection) } }
    }

    /// Closes idle connections and refuses new borrowers; borrowed ones close when returned.
    public func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle = []
        openCount -= connections.count
        condition.broadcast()
        condition.unlock()
        for connection in connections { connection.close() }
    }

    /// Connections open now (idle and borrowed), for readiness and tests.
    public var openConnections: Int {
        condition.lock()
        defer { condition.unlock() }
        return openCount
    }

    func acquire() throws(PostgresError) -> PostgresConnection {
        try acquire(by: Deadline(seconds: configuration.acquireTimeout))
    }

    /// Borrows an idle connection that still works, opens a new one when the pool has room, or waits for one to be
    /// returned; all by `deadline`. The first idle connection is checked with at least a short moment, even at the
    /// very end of the wait, so that a working one is not thrown away for lack of time; once the deadline has passed,
    /// no further one is checked (each would add that moment again: a stalled server's N stale connections made the
    /// wait overshoot by N × the moment), they stay in the pool unchecked and the acquire times out.
    func acquire(by deadline: Deadline, probe: Bool = false) throws(PostgresError) -> PostgresConnection {
        guard let observer else { return try lend(by: deadline) }
        let started = ContinuousClock.now
        do {
            let connection = try lend(by: deadline)
            let waited = ContinuousClock.now - started
            observer.acquired(Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18, probe)
            return connection
        } catch {
            if error.kind == .timeout || error.kind == .poolExhausted { observer.timedOut(probe) }
            throw error
        }
    }

    /// `acquire` without the observer.
    private func lend(by deadline: Deadline) throws(PostgresError) -> PostgresConnection {
        condition.lock()
        var checkedIdle = false
        while true {
            if closed {
                condition.unlock()
                throw PostgresError(.usage, message: "the pool is closed")
            }
            if checkedIdle && !idle.isEmpty && deadline.remaining <= 0 {
                condition.unlock()
                throw PostgresError(
                    .timeout, message: "no working database connection within \(deadline.seconds) s")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                checkedIdle = true
                let checkDeadline = deadline.remaining < 0.05 ? Deadline(seconds: 0.05) : deadline
                if connection.checkIdleConnection(by: checkDeadline) { return connection }
                logger.warning("discarding a broken database connection")
                connection.close()
                condition.lock()
                openCount -= 1
                discardedBroken += 1
                continue
            }
            if openCount < configuration.size {
                openCount += 1
                condition.unlock()
                do {
                    let connection = try PostgresConnection(
                        connectionString: configuration.connectionString, database: configuration.database,
                        applicationName: configuration.applicationName, deadline: deadline)
                    if let observer, replacedBroken() { observer.reconnected() }
                    return connection
                } catch {
                    observer?.connectionFailed()
                    condition.lock()
                    openCount -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            waitingCount += 1
            let woken = condition.wait(until: deadline.date)
            waitingCount -= 1
            if !woken {
                condition.unlock()
                throw PostgresError(
                    .poolExhausted, message: "no database connection became free within \(deadline.seconds) s")
            }
        }
    }

    /// Whether a new connection takes the place of a discarded broken one (and counts it as replaced).
    private func replacedBroken() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard discardedBroken > 0 else { return false }
        discardedBroken -= 1
        return true
    }

    func release(_ connection: PostgresConnection) {
        if connection.isHealthy && connection.isInTransaction {
            try? connection.rollback()
        }
        connection.lastUsed = .now
        condition.lock()
        if connection.isHealthy && !closed {
            idle.append(connection)
        } else {
            openCount -= 1
            if !connection.isHealthy { discardedBroken += 1 }
            condition.unlock()
            connection.close()
            condition.lock()
        }
        condition.signal()
        condition.unlock()
    }
}

extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            if isHealthy { try? rollback() }
            throw error
        }
    }
}
