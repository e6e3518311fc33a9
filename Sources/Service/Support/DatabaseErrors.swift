import HTTPServer
import Postgres

/// Runs database work for a request, turning an unavailable or exhausted database into a 503 that tells the client
/// to retry. Other database errors stay opaque 500s (logged with their detail by the server).
func withDatabase<Result>(_ body: () throws -> Result) throws -> Result {
    do {
        return try body()
    } catch let error as PostgresError where error.kind == .poolExhausted {
        throw HTTPError(
            .serviceUnavailable, code: .databaseBusy,
            message: "all database connections are busy; retry shortly", headers: HTTPHeaders([("Retry-After", "1")]))
    } catch let error as PostgresError where error.isConnectionFailure {
        throw HTTPError(
            .serviceUnavailable, code: .databaseUnavailable, message: "the database is unavailable; retry shortly",
            headers: HTTPHeaders([("Retry-After", "5")]))
    }
}
