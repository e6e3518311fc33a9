import CLibPQ
import Glibc

/// One libpq connection. Blocking: use it from threads you own, never from the Swift concurrency pool.
///
/// The `PGconn` pointer is not `Sendable`. It is safe to mark the class `@unchecked Sendable` because a connection
/// is only ever used by one thread at a time: the pool hands it to exactly one borrower (`withConnection`), and
/// borrowers must not let it escape their closure.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private(set) var isClosed = false
    /// Prepared statement names by SQL text, so repeated queries skip parsing and planning.
    var preparedStatements: [String: String] = [:]
    /// Numbers the cursors opened by `stream`, so that their names are unique on this connection.
    var cursorCounter = 0
    /// While set, every statement must be answered by then (`withDeadline`); one that is not closes the connection.
    var statementDeadline: Deadline?
    /// When the connection was last handed back to its pool (or opened), so that a long-idle one is checked first.
    var lastUsed = ContinuousClock.now

    /// How long connecting may take unless the caller gives a deadline (libpq's `connect_timeout` was 10).
    public static let defaultConnectSeconds = 10.0

    /// What every connection of the service calls itself unless told otherwise (`application_name`).
    public static let defaultApplicationName = "seedtest-pipelines"

    /// Connects with a `postgresql://` URI or a `key=value` connection string; `database`, when given, replaces the
    /// database named in it. `applicationName` is what `pg_stat_activity` shows for the backend (an
    /// `application_name` in the connection string wins), so an operator can tell the pool, the listener and each
    /// run apart. `parameters` are further libpq keywords (tighter TCP keepalives, say), applied before the connection
    /// string so that it can still override them. Connecting and the session set-up must finish by `deadline` (by
    /// default `defaultConnectSeconds` from now), or it throws `PostgresError.Kind.timeout`.
    public init(
        connectionString: String, database: String? = nil, applicationName: String = defaultApplicationName,
        parameters: [(key: String, value: String)] = [], deadline: Deadline? = nil
    ) throws(PostgresError) {
        let deadline = deadline ?? Deadline(seconds: Self.defaultConnectSeconds)
        // Defaults first: libpq lets later keywords (the expanded connection string) override earlier ones. Only the
        // first dbname is expanded as a connection string; a second one names the database.
        var defaults = ["application_name": applicationName, "keepalives": "1", "keepalives_idle": "30"]
        for (key, value) in parameters { defaults[key] = value }
        var keys = defaults.keys.sorted() + ["dbname"]
        var values = keys.dropLast().map { defaults[$0] ?? "" } + [connectionString]
        if let database {
            keys.append("dbname")
            values.append(database)
        }
        var keyPointers = keys.map { strdup($0) } + [nil]
        var valuePointers = values.map { strdup($0) } + [nil]
        defer {
            for pointer in keyPointers { free(pointer) }
            for pointer in valuePointers { free(pointer) }
        }
        // Both arrays hold at least their nil terminator, so their buffers' base addresses are never nil.
        let connection = keyPointers.withUnsafeMutableBufferPointer { keyBuffer in
            valuePointers.withUnsafeMutableBufferPointer { valueBuffer in
                keyBuffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: keys.count + 1) {
                    keyPointer in
                    valueBuffer.baseAddress!.withMemoryRebound(
                        to: UnsafePointer<CChar>?.self, capacity: values.count + 1
                    ) { valuePointer in
                        PQconnectStartParams(keyPointer, valuePointer, 1)
                    }
                }
            }
        }
        guard let connection else { throw PostgresError(.connection, message: "libpq could not allocate a connection") }
        try Self.finishConnecting(connection, by: deadline)
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        statementDeadline = deadline
        defer { statementDeadline = nil }
        do {
            try execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'; SET client_encoding = 'UTF8'")
        } catch {
            close()
            throw error
        }
    }

    /// Renames the session in `pg_stat_activity` (`application_name`), for example once a run's id is known.
    public func setApplicationName(_ name: String) throws(PostgresError) {
        _ = try query("SELECT set_config('application_name', \(name), false)")
    }

    deinit {
        assert(isClosed, "a PostgresConnection was released without close()")
        if !isClosed { PQfinish(handle) }
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    /// Whether libpq still considers the connection usable.
    public var isHealthy: Bool { !isClosed && PQstatus(handle) == CONNECTION_OK }

    /// Whether a transaction is open (or failed and awaiting rollback).
    public var isInTransaction: Bool {
        guard !isClosed else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Detects a connection the server has closed while it sat idle (server restart, termination) without sending
    /// anything. An idle connection has nothing to read unless the server is telling it something unsolicited — in
    /// practice a FATAL message before closing — so a readable socket means the connection is not to be trusted.
    /// A connection idle for longer than `idleCheckAfter` must also answer an empty statement by `deadline`, so that
    /// a stalled server (stopped, hung) is found here rather than by the borrower's first statement.
    func checkIdleConnection(by deadline: Deadline) -> Bool {
        guard isHealthy, !isInTransaction else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) == 0 else { return false }
        if ContinuousClock.now - lastUsed < Self.idleCheckAfter { return true }
        return isAnswering(by: deadline)
    }

    /// A pooled connection used this recently is not asked to answer before it is lent again (as HikariCP's
    /// `aliveBypassWindowMs`): a busy pool pays no round trip per borrow.
    static let idleCheckAfter = Duration.milliseconds(500)

    /// Runs statements, discarding any rows. Without parameters it may hold several statements (the simple query
    /// protocol); with parameters it is one statement, run unprepared.
    public func execute(_ query: PostgresQuery) throws(PostgresError) {
        guard query.binds.isEmpty else {
            _ = try run(query.sql, query.binds, prepare: false)
            return
        }
        guard !isClosed else { throw PostgresError(.usage, message: "the connection is closed") }
        let sent: OpaquePointer?
        if let statementDeadline {
            sent = try awaitResult(by: statementDeadline, sent: PQsendQuery(handle, query.sql))
        } else {
            sent = PQexec(handle, query.sql)
        }
        guard let result = sent else { throw connectionError() }
        defer { PQclear(result) }
        try check(result)
    }

    /// The error libpq reports for the connection itself.
    func connectionError() -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines()
        return PostgresError(PQstatus(handle) == CONNECTION_OK ? .query : .connection, message: message)
    }

    /// Throws the statement's error, if it failed.
    func check(_ result: OpaquePointer) throws(PostgresError) {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmingTrailingNewlines()
            let broken = PQstatus(handle) != CONNECTION_OK
            throw PostgresError(broken ? .connection : .query, sqlState: sqlState, message: message)
        }
    }
}

extension Int32 {
    var boolValue: Bool { self != 0 }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
