import Foundation
import JSON
import Postgres
import TestSupport
import Testing

/// A database that cannot take a run answers a clear 503 naming the SQLSTATE class, and the service's connections
/// say what they are in `pg_stat_activity`.
@Suite(.ownThreads) struct DatabaseRefusalRouteTests {
    @Test func aReadOnlyDatabaseAnswers503ReadOnlyAtRunStart() throws {
        let app = try TestService()
        defer { app.stop() }
        try app.database.pool.withConnection { connection in
            try connection.execute(
                "ALTER DATABASE \(identifier: app.database.name) SET default_transaction_read_only = on")
        }
        let response = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: [:])
        #expect(response.status == 503)
        #expect(response.header("Retry-After") != nil)
        let error = try app.json(response)["error"]
        #expect(error?["code"] == "database_read_only")
        let message = error?["message"]?.stringValue ?? ""
        #expect(message.contains("SQLSTATE 25006") && message.contains("class 25"))
        let runs: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0)
        }
        #expect(runs == 0)
    }

    @Test func theServiceConnectionsNameThemselves() throws {
        let app = try TestService()
        defer { app.stop() }
        // Borrow a pooled connection of the service through a route, then look at the database's other sessions (the
        // test's own pool is named like the service's).
        #expect(try app.request("GET", "/v1/runs").status == 200)
        var names: Set<String> = []
        let deadline = Date(timeIntervalSinceNow: 10)
        while !names.isSuperset(of: ["seedtest-pipelines pool", "seedtest-pipelines listener"]) && Date() < deadline {
            names = try app.database.pool.withConnection { connection in
                Set(
                    try connection.query(
                        """
                        SELECT application_name FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                        """
                    ).rows.map { try $0.decode(0) })
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(names.isSuperset(of: ["seedtest-pipelines pool", "seedtest-pipelines listener"]))
    }
}
