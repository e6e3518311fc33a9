import Foundation
import JSON
import Pipelines
import Postgres
import TestSupport
import Testing

/// One run per stage, abandoned runs, and all-or-nothing writes.
@Suite(.ownThreads) struct RunSemanticsTests {
    /// Holds an exclusive lock on `weekly_kpi` so that a KPI run blocks at its write, until released.
    final class TableBlocker {
        let connection: PostgresConnection

        init(_ database: TestDatabase) throws {
            connection = try database.connect()
            try connection.begin()
            try connection.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        }

        func release() {
            try? connection.rollback()
            connection.close()
        }
    }

    @Test func concurrentTriggersGiveOneRunAndOneConflict() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let blocker = try TableBlocker(harness.database)
        let first = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        do {
            _ = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
            Issue.record("a second run of the same stage must be refused")
        } catch let conflict as RunConflictError {
            #expect(conflict.runningRunID == first.runID)
        }
        // Another stage (one that does not write weekly_kpi) is not held up by it.
        let other = try harness.runner.start(harness.request(.aggregateFeaturesDaily, ["date": "2026-11-25"]))
        #expect(other.wait(seconds: 20))
        #expect(other.record.status == .succeeded)
        blocker.release()
        #expect(first.wait(seconds: 20))
        #expect(first.record.status == .succeeded)
        #expect(try harness.run(.computeDailyKPIs, ["date": "2026-11-29"]).status == .succeeded)
    }

    @Test func abandonedRunsAreReportedFailedAndDoNotBlock() throws {
        let harness = try Harness()
        // Started after the database server did: a row older than the server's start is left to its possibly living
        // owner for 5 s after that start (CrashOutcomeTests), and the test cluster may be younger than that.
        try harness.execute(
            "INSERT INTO pipeline_runs (stage, status, started_at) VALUES ('compute-daily-kpis', 'running', now())")
        let stale: RunRecord? = try harness.database.pool.withConnection { try RunStore.get($0, runID: 1) }
        #expect(stale?.status == .failed)
        #expect(stale?.error?.contains("abandoned") == true)
        try harness.execute("INSERT INTO pipeline_runs (stage, status) VALUES ('compute-daily-kpis', 'running')")
        let record = try harness.run(.computeDailyKPIs)
        #expect(record.status == .succeeded)
        let all = try harness.database.pool.withConnection { connection in
            try RunStore.list(connection, stage: "compute-daily-kpis", status: nil, limit: 10, before: nil)
        }
        #expect(all.map(\.status) == [.succeeded, .failed, .failed])
    }

    @Test func aDatabaseRestartMidRunLeavesEveryTableAsItWas() throws {
        let harness = try Harness(dedicatedServer: true)
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-22"])
        _ = try harness.run(.aggregateFeaturesDaily, ["date": "2026-11-25"])
        let tables = ["weekly_kpi", "features_topic_daily", "learner_activity", "attempts"]
        let before = try tables.map { try harness.snapshot($0) }
        let blocker = try TableBlocker(harness.database)
        let run = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        Thread.sleep(forTimeInterval: 0.5)
        try harness.database.restartServer()
        blocker.release()
        #expect(run.wait(seconds: 30))
        let record = run.record
        #expect(record.status == .failed)
        #expect(record.error?.contains("database") == true)
        #expect(try tables.map { try harness.snapshot($0) } == before)
        // The service recovers without a restart of its own: the same pool and runner work again.
        let again = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        #expect(again.status == .succeeded)
        let stored: RunRecord? = try harness.database.pool.withConnection { try RunStore.get($0, runID: record.runID) }
        #expect(stored?.status == .failed)
    }

    @Test func parametersAreValidatedWithTheFieldNamed() throws {
        let harness = try Harness()
        let cases: [(Stage, JSONObject, String)] = [
            (.computeDailyKPIs, ["date": "2026-02-30"], "date"),
            (.computeDailyKPIs, ["lookback_days": 0], "lookback_days"),
            (.computeDailyKPIs, ["lookback_days": "7"], "lookback_days"),
            (.computeDailyKPIs, ["user_ids": []], "user_ids"),
            (.computeDailyKPIs, ["user_ids": [1]], "user_ids"),
            (.computeDailyKPIs, ["dry_run": "yes"], "dry_run"),
            (.computeDailyKPIs, ["surprise": true], "surprise"),
            (.aggregateFeaturesDaily, ["lookback_days": 91], "lookback_days"),
            (.detectInactivity, ["threshold_days": 30, "max_days": 10], "max_days"),
            (.detectInactivity, ["date": "2026-11-01"], "date"),
        ]
        for (stage, body, field) in cases {
            do {
                _ = try harness.request(stage, body)
                Issue.record("\(body) should be refused")
            } catch let error as ParameterError {
                #expect(error.field == field, "\(body)")
                #expect(error.message.contains(field))
            }
        }
        #expect(try harness.count("pipeline_runs") == 0)
    }
}
