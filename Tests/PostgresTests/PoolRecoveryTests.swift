import Postgres
import TestSupport
import Testing

/// After the database restarts, the next borrower gets a working connection without restarting the service.
@Suite(.ownThreads) struct PoolRecoveryTests {
    @Test func poolRecoversAfterServerRestart() throws {
        let database = try TestDatabase.createOnDedicatedServer()
        for _ in 0..<3 {
            _ = try database.pool.withConnection { try $0.query("SELECT 1") }
        }
        try database.restartServer()
        let value: Int = try database.pool.withConnection { try $0.query("SELECT 42")[0].decode(0) }
        #expect(value == 42)
        let inTransaction: Int = try database.pool.withTransaction { try $0.query("SELECT 7")[0].decode(0) }
        #expect(inTransaction == 7)
    }
}
