import Postgres
import Storage
import TestSupport
import Testing

/// `AttemptStore`'s reads against PostgreSQL.
@Suite struct AttemptReadsTests {
    @Test func hasAttemptsOnceAnAttemptIsStored() throws {
        let database = try TestDatabase.create()
        #expect(try !database.pool.withConnection { try AttemptStore.hasAttempts($0) })
        try Attempts.insert([Attempts.make("u", "q", "2026-11-20T10:00:00Z", correct: true)], into: database)
        #expect(try database.pool.withConnection { try AttemptStore.hasAttempts($0) })
    }
}
