import Foundation
import JSON
import Pipelines
import Postgres
import Synchronization
import TestSupport
import Testing

/// Issue 13, "run records that never lie": every conflict names the running run, a run's backend can be found, run
/// parameters stay small, and a database that refuses writes at run start gives a clear error.
@Suite(.ownThreads) struct RunRecordTruthTests {
    /// Starts two runs of one stage at the same moment and returns what each `start` gave.
    private func race(_ harness: Harness) throws -> [Result<RunHandle, any Error>] {
        let request = try harness.request(.computeDailyKPIs, ["date": "2026-11-29"])
        let results = Mutex<[Result<RunHandle, any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = Result { try harness.runner.start(request) }
            results.withLock { $0.append(result) }
        }
        return results.withLock { $0 }
    }

    @Test func everyConflictOfRacingTriggersNamesTheWinner() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let blocker = try harness.database.connect()
        defer { blocker.close() }
        var conflicts = 0
        for _ in 0..<40 {
            // The winner blocks at its write, so it is surely running while the loser looks for it.
            try blocker.begin()
            try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
            let results = try race(harness)
            let winners = results.compactMap { try? $0.get() }
            let losers = results.compactMap { result -> RunConflictError? in
                guard case .failure(let error) = result else { return nil }
                return error as? RunConflictError
            }
            try #require(winners.count == 1 && losers.count == 1, "one run and one conflict, got \(results)")
            #expect(losers[0].runningRunID == winners[0].runID)
            conflicts += 1
            try blocker.rollback()
            #expect(winners[0].wait(seconds: 20))
            #expect(winners[0].record.status == .succeeded)
        }
        #expect(conflicts == 40)
        let statuses: [String] = try harness.database.pool.withConnection { connection in
            try connection.query("SELECT DISTINCT status FROM pipeline_runs").rows.map { try $0.decode(0) }
        }
        #expect(statuses == ["succeeded"])
    }

    @Test func aRunsBackendIsNamedInPgStatActivity() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let poolName: String = try harness.database.pool.withConnection {
            try $0.query("SELECT current_setting('application_name')")[0].decode(0)
        }
        #expect(poolName == "seedtest-pipelines pool")
        let blocker = try harness.database.connect()
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let run = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        let runs: [String] = try harness.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT application_name FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE 'seedtest-pipelines run %'
                """
            ).rows.map { try $0.decode(0) }
        }
        #expect(runs == ["seedtest-pipelines run \(run.runID) compute-daily-kpis"])
        try blocker.rollback()
        blocker.close()
        #expect(run.wait(seconds: 20))
        #expect(run.record.status == .succeeded)
    }

    @Test func longIDListsAreRecordedAsASummaryButAllUsed() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(user: "w_golden"), into: harness.database)
        // 100 ids, not in order; the one learner with attempts sorts last, far past the first ten.
        var ids = (1...99).map { String(format: "u%03d", ($0 * 37) % 100 + 100) }
        ids.insert("w_golden", at: 60)
        let record = try harness.run(
            .computeDailyKPIs, ["date": "2026-11-29", "user_ids": .array(ids.map(JSONValue.string))])
        #expect(record.status == .succeeded)
        #expect(record.counts["learners"] == .int(1))
        let summary = try #require(record.parameters["user_ids"]?.objectValue)
        #expect(Set(summary.keys) == ["count", "sha256", "first"])
        #expect(summary["count"] == .int(100))
        let sorted = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(summary["first"] == .array(sorted.prefix(10).map(JSONValue.string)))
        // The hash as PostgreSQL computes it: the ids sorted bytewise, joined by newlines.
        let expected: String = try harness.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT encode(sha256(convert_to(string_agg(id, E'\\n' ORDER BY id COLLATE "C"), 'UTF8')), 'hex')
                FROM jsonb_array_elements_text(\(JSONValue.array(ids.map(JSONValue.string)))::jsonb) AS id
                """
            )[0].decode(0)
        }
        #expect(summary["sha256"] == .string(expected))
        let stored = try harness.database.pool.withConnection { try RunStore.get($0, runID: record.runID) }
        #expect(stored?.parameters == record.parameters)
        let storedBytes: Int = try harness.database.pool.withConnection {
            try $0.query("SELECT octet_length(params::text) FROM pipeline_runs WHERE run_id = \(record.runID)")[0]
                .decode(0)
        }
        #expect(storedBytes < 600)

        // Twenty ids are short enough to keep as they are.
        let twenty = Array(sorted.prefix(20))
        let short = try harness.run(.computeDailyKPIs, ["user_ids": .array(twenty.map(JSONValue.string))])
        #expect(short.parameters["user_ids"] == .array(twenty.map(JSONValue.string)))
    }

    @Test func aReadOnlyDatabaseRefusesTheRunClearlyAndKeepsNoLock() throws {
        let harness = try Harness()
        // A session opened before the change stays read-write, to undo it.
        let admin = try harness.database.connect()
        defer { admin.close() }
        try admin.execute("ALTER DATABASE \(identifier: harness.database.name) SET default_transaction_read_only = on")
        do {
            _ = try harness.runner.start(harness.request(.computeDailyKPIs))
            Issue.record("a read-only database must refuse the run")
        } catch let error as PostgresError {
            #expect(error.sqlState == "25006")
            #expect(!error.isConnectionFailure)
        }
        #expect(try admin.query("SELECT count(*) FROM pipeline_runs")[0].decode(0, as: Int.self) == 0)
        #expect(try !admin.isAdvisoryLockHeld(Stage.computeDailyKPIs.lockKey))
        try admin.execute("ALTER DATABASE \(identifier: harness.database.name) RESET default_transaction_read_only")
        #expect(try harness.run(.computeDailyKPIs).status == .succeeded)
    }

    /// Once shutdown began, a trigger arriving after `cancelAll` took its list of runs starts none (exit would cut it
    /// off): it is refused before anything is claimed.
    @Test func aRunnerThatStoppedAcceptingStartsNoRun() throws {
        let harness = try Harness()
        harness.runner.stopAccepting()
        #expect(throws: RunnerStoppingError.self) { try harness.runner.start(harness.request(.computeDailyKPIs)) }
        let admin = try harness.database.connect()
        defer { admin.close() }
        #expect(try admin.query("SELECT count(*) FROM pipeline_runs")[0].decode(0, as: Int.self) == 0)
        #expect(try !admin.isAdvisoryLockHeld(Stage.computeDailyKPIs.lockKey))
        #expect(harness.runner.activeRuns.isEmpty)
    }
}
