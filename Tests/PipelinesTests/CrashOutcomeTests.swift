import Foundation
import Postgres
import TestSupport
import Testing

@testable import Pipelines

/// Issue 13: after PostgreSQL crashes mid-run, the stored run record says exactly what the client was told (status,
/// error, `finished_at`), not "abandoned" with a later time, even when a sweeper reads the row before the runner writes.
@Suite(.ownThreads) struct CrashOutcomeTests {
    /// The run's row as stored, read without any reconciliation.
    func storedRow(_ database: TestDatabase, runID: Int64) throws -> (status: String, error: String?, finished: String?)
    {
        let connection = try database.connect()
        defer { connection.close() }
        let row = try connection.query(
            "SELECT status, error, finished_at::text FROM pipeline_runs WHERE run_id = \(runID)")[0]
        return (try row.decode(0), try row.decode(1), try row.decode(2))
    }

    @Test func theStoredRecordIsWhatTheClientWasToldAfterACrash() throws {
        let harness = try Harness(dedicatedServer: true)
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let blocker = try RunSemanticsTests.TableBlocker(harness.database)
        let run = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        Thread.sleep(forTimeInterval: 0.5)

        try harness.database.stopServerImmediately()
        blocker.release()
        #expect(run.wait(seconds: 30))
        let told = run.record
        #expect(told.status == .failed)
        #expect(told.error == "the database connection failed during the run")
        let finishedAt = try #require(told.finishedAt)
        // Kept down a while, so that an abandoned sweep would stamp a visibly later time.
        Thread.sleep(forTimeInterval: 1)
        try harness.database.startServer()

        // Another replica's sweeper reads at once; whichever of it and the runner comes first, the runner's record wins.
        let sweeper = try harness.database.connect()
        try RunStore.reconcileAbandoned(sweeper)
        sweeper.close()
        let deadline = Date(timeIntervalSinceNow: 10)
        var stored = try storedRow(harness.database, runID: told.runID)
        var seen = [stored.error]
        while stored.error != told.error && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            stored = try storedRow(harness.database, runID: told.runID)
            seen.append(stored.error)
        }
        // Never marked abandoned on the way: the row was running until the runner wrote what it told.
        #expect(!seen.contains(RunStore.abandonedMessage), "\(seen)")
        #expect(seen.dropLast().allSatisfy { $0 == nil }, "\(seen)")
        #expect(stored.status == "failed")
        #expect(stored.error == told.error)
        let record = try harness.database.pool.withConnection { connection in
            try harness.runner.recordPendingOutcomes(on: connection)
            return try RunStore.get(connection, runID: told.runID)
        }
        #expect(record == told)
        #expect(record?.finishedAt == finishedAt)
        // A run started afterwards finds nothing left to fix, and the record stays.
        #expect(try harness.run(.computeDailyKPIs, ["date": "2026-11-29"]).status == .succeeded)
        #expect(try harness.database.pool.withConnection { try RunStore.get($0, runID: told.runID) } == told)
    }

    /// If another replica's sweeper marked the row abandoned before the owner came back, the owner's record replaces
    /// the mark; a real outcome is never replaced.
    @Test func theOwnersRecordReplacesAnAbandonedMarkButNoRealOutcome() throws {
        let harness = try Harness()
        let connection = try harness.database.connect()
        defer { connection.close() }
        var told = try RunStore.insert(
            connection, stage: .computeDailyKPIs, parameters: ["date": "2026-11-29"], dryRun: false)
        try connection.execute(
            """
            UPDATE pipeline_runs SET status = 'failed', error = \(RunStore.abandonedMessage), finished_at = now()
            WHERE run_id = \(told.runID)
            """)
        told.status = .failed
        told.error = "the database connection failed during the run"
        told.finishedAt = told.startedAt.adding(microseconds: 1_234_567)
        try RunStore.recordOutcome(connection, told)
        #expect(try RunStore.get(connection, runID: told.runID) == told)

        let succeeded = try RunStore.finish(connection, runID: told.runID, counts: ["learners": 1])
        try RunStore.recordOutcome(connection, told)
        #expect(try RunStore.get(connection, runID: told.runID) == succeeded)
    }
}
