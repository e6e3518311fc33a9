import Foundation
import Postgres
import TestSupport
import Testing

/// The client keeps its own time against a server that stops answering (its processes SIGSTOPped): connecting, a
/// pooled connection's check and a statement under a deadline all give up in time, and the pool works again once the
/// server runs.
@Suite(.ownThreads) struct StalledServerTests {
    @Test func everyWaitEndsByItsDeadlineAndThePoolRecovers() throws {
        let database = try TestDatabase.createOnDedicatedServer()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: database.serverConnectionString, database: database.name, size: 2,
                acquireTimeout: 0.5),
            logger: TestServer.quietLogger)
        defer { pool.close() }
        // Two connections, both idle in the pool.
        try pool.withConnection { first in
            try pool.withConnection { second in
                try first.execute("SELECT 1")
                try second.execute("SELECT 1")
            }
        }
        #expect(pool.openConnections == 2)
        try database.withServerStalled {
            Thread.sleep(forTimeInterval: 0.6)
            // The idle connections do not answer their check and are dropped; a new one cannot be opened in time.
            var started = Date()
            var kind: PostgresError.Kind?
            do {
                try pool.withConnection { try $0.execute("SELECT 1") }
            } catch let error as PostgresError {
                kind = error.kind
            }
            #expect(kind == .timeout)
            #expect(Date().timeIntervalSince(started) < 1)
            #expect(pool.openConnections == 0)

            started = Date()
            #expect(throws: PostgresError.self) {
                try PostgresConnection(
                    connectionString: database.serverConnectionString, database: database.name,
                    deadline: Deadline(seconds: 0.3))
            }
            #expect(Date().timeIntervalSince(started) < 0.8)
        }
        // A statement under a deadline on a connection whose server stalls mid-session is abandoned in time.
        let connection = try database.connect()
        defer { connection.close() }
        try database.withServerStalled {
            let started = Date()
            var kind: PostgresError.Kind?
            do {
                try connection.withDeadline(Deadline(seconds: 0.3)) { try connection.query("SELECT 1") }
            } catch let error as PostgresError {
                kind = error.kind
            }
            #expect(kind == .timeout)
            #expect(Date().timeIntervalSince(started) < 0.8)
            #expect(!connection.isHealthy)
        }
        let value: Int = try pool.withConnection { try $0.query("SELECT 42")[0].decode(0) }
        #expect(value == 42)
    }
}
