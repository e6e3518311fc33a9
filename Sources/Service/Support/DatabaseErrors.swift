import Fields
import HTTPServer
import Postgres

/// Runs database work for a request, turning a database that cannot serve it now into a 503 that tells the client to
/// retry and names the SQLSTATE and its class: every connection busy (`database_busy`), the database unreachable or
/// its connection broken (`database_unavailable`, class 08 and the shutdown states of class 57), or the database
/// refusing writes (`database_read_only`, 25006: `default_transaction_read_only`, a hot standby). Other database
/// errors stay opaque 500s (logged with their detail by the server).
func withDatabase<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as PostgresError where error.kind == .poolExhausted {
        throw HTTPError(
            .serviceUnavailable, code: .databaseBusy,
            message: "all database connections are busy; retry shortly", headers: HTTPHeaders([("Retry-After", "1")]))
    } catch let error as PostgresError where error.isConnectionFailure {
        throw HTTPError(
            .serviceUnavailable, code: .databaseUnavailable,
            message: "the database is unavailable\(sqlStateNote(error)); retry shortly",
            headers: HTTPHeaders([("Retry-After", "5")]))
    } catch let error as PostgresError where error.sqlState == readOnlySQLState {
        throw HTTPError(
            .serviceUnavailable, code: .databaseReadOnly,
            message: "the database is read-only and refused the write\(sqlStateNote(error)); retry later",
            headers: HTTPHeaders([("Retry-After", "30")]))
    }
}

/// `read_only_sql_transaction`: a write in a read-only transaction.
private let readOnlySQLState = "25006"

/// " (SQLSTATE 25006, class 25: invalid transaction state)", or nothing when the server sent no SQLSTATE (a failed
/// connection attempt).
private func sqlStateNote(_ error: PostgresError) -> String {
    guard let state = error.sqlState else { return "" }
    let classCode = String(state.prefix(2))
    let className = sqlStateClassNames[classCode].map { ": " + $0 } ?? ""
    return " (SQLSTATE \(state), class \(classCode)\(className))"
}

/// The names PostgreSQL's documentation gives the SQLSTATE classes this mapping answers.
private let sqlStateClassNames = [
    "08": "connection exception", "25": "invalid transaction state", "57": "operator intervention",
]

extension ErrorCode {
    /// The database refused a write because it is read-only.
    public static let databaseReadOnly = ErrorCode(rawValue: "database_read_only")
}
