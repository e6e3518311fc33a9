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
                connectionString: database.serverConnectionString, database: database.name, size: 4,
                acquireTimeout: 0.5),
            logger: TestServer.quietLogger)
        defer { pool.close() }
        // Four connections, all idle in the pool.
        func hold(_ count: Int) throws {
            guard count > 0 else { return }
            try pool.withConnection { connection in
                try connection.execute("SELECT 1")
                try hold(count - 1)
            }
        }
        try hold(4)
        #expect(pool.openConnections == 4)
        try database.withServerStalled {
            Thread.sleep(forTimeInterval: 0.6)
            // The first idle connection does not answer its check within the acquire timeout and is dropped; the
            // others are not checked after the deadline (each check would overshoot it further) and stay pooled.
            var started = Date()
            var kind: PostgresError.Kind?
            do {
                try pool.withConnection { try $0.execute("SELECT 1") }
            } catch let error as PostgresError {
                kind = error.kind
            }
            #expect(kind == .timeout)
            let took = Date().timeIntervalSince(started)
            #expect(took < 0.5 + 0.1, "acquire took \(took) s with a 0.5 s timeout and four stale connections")
            #expect(pool.openConnections == 3)

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
