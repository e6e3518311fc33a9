import CLibPQ
import Glibc

/// Waiting for the server with a deadline. libpq's blocking calls wait as long as the server takes, and a stopped
/// (SIGSTOPped, hung) server takes for ever: connecting waits for the startup reply, a statement for its result. Here
/// the same calls are made through libpq's asynchronous API, and the socket is polled with the time that remains.
/// A statement that runs out of time closes the connection: its answer may still come, and cancelling it would need a
/// new connection to the very server that does not answer (`PQcancel` blocks on it), so the backend is left to notice
/// the closed socket once it runs again.
extension PostgresConnection {
    /// Runs `body` with every statement bounded by `deadline`; one that is not answered in time throws
    /// `PostgresError.Kind.timeout` and leaves the connection closed.
    @discardableResult
    public func withDeadline<Result>(_ deadline: Deadline, _ body: () throws -> Result) rethrows -> Result {
        let previous = statementDeadline
        statementDeadline = deadline
        defer { statementDeadline = previous }
        return try body()
    }

    /// Whether the server answers an empty statement by `deadline`; a connection that does not is closed.
    func isAnswering(by deadline: Deadline) -> Bool {
        (try? withDeadline(deadline) { try execute("") }) != nil
    }

    /// Drives a connection started with `PQconnectStartParams` to the end, polling its socket until `deadline`. On
    /// failure the connection is finished and the error thrown.
    static func finishConnecting(_ connection: OpaquePointer, by deadline: Deadline) throws(PostgresError) {
        // As libpq's documentation says: start as though the last poll asked to write.
        var status = PGRES_POLLING_WRITING
        while PQstatus(connection) != CONNECTION_BAD {
            if status == PGRES_POLLING_OK { return }
            if status == PGRES_POLLING_FAILED { break }
            let events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT
            guard deadline.wait(for: PQsocket(connection), events: Int32(events)) else {
                PQfinish(connection)
                throw PostgresError(
                    .timeout, message: "the server did not complete the connection within \(deadline.seconds) s")
            }
            status = PQconnectPoll(connection)
        }
        let message = String(cString: PQerrorMessage(connection)).trimmingTrailingNewlines()
        PQfinish(connection)
        throw PostgresError(.connection, message: message)
    }

    /// Waits until `deadline` for the results of a statement sent with a `PQsend…` call (`sent` is its return value)
    /// and returns the one that matters: the first error, otherwise the last result (as `PQexec` does). Nil when
    /// sending or reading failed (the caller throws the connection's error); throws `timeout` after closing the
    /// connection when the server does not answer in time.
    func awaitResult(by deadline: Deadline, sent: Int32) throws(PostgresError) -> OpaquePointer? {
        guard sent == 1 else { return nil }
        var kept: OpaquePointer?
        while true {
            while PQisBusy(handle) == 1 {
                guard deadline.wait(for: PQsocket(handle), events: Int32(POLLIN)) else {
                    if let kept { PQclear(kept) }
                    close()
                    throw PostgresError(.timeout, message: "the server did not answer within \(deadline.seconds) s")
                }
                guard PQconsumeInput(handle) == 1 else {
                    if let kept { PQclear(kept) }
                    return nil
                }
            }
            guard let result = PQgetResult(handle) else { return kept }
            let status = PQresultStatus(result)
            if let previous = kept, Self.isError(PQresultStatus(previous)) {
                PQclear(result)
            } else {
                if let kept { PQclear(kept) }
                kept = result
            }
            // COPY hands the connection to the caller; there is no further result until it ends.
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH { return kept }
        }
    }

    static func isError(_ status: ExecStatusType) -> Bool {
        status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE || status == PGRES_NONFATAL_ERROR
    }
}
