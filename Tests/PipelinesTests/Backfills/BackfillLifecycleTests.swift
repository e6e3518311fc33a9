import Foundation
import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// One backfill at a time, cancelling, a failed run stopping it, waiting for a nightly run, and abandonment.
@Suite(.ownThreads) struct BackfillLifecycleTests {
    func request(_ from: String, _ to: String, stages: [String]) throws -> BackfillRequest {
        try BackfillRequest.parse(
            body: ["from": .string(from), "to": .string(to), "stages": .array(stages.map(JSONValue.string))],
            today: Day.today())
    }

    func runs(_ harness: Harness) throws -> [RunRecord] {
        try harness.database.pool.withConnection { connection in
            try RunStore.list(connection, stage: nil, status: nil, limit: 1000, before: nil)
        }
    }

    @Test func aSecondBackfillIsRefusedAndACancelStopsTheCurrentRun() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let blocker = try RunSemanticsTests.TableBlocker(harness.database)
        defer { blocker.release() }
        let first = try harness.backfiller.start(request("2026-11-20", "2026-11-29", stages: ["compute-daily-kpis"]))
        #expect(first.record.status == .running && first.record.daysTotal == 10)
        do {
            _ = try harness.backfiller.start(request("2026-11-01", "2026-11-02", stages: ["compute-daily-kpis"]))
            Issue.record("a second backfill must be refused while one runs")
        } catch let conflict as BackfillConflictError {
            #expect(conflict.runningBackfillID == first.backfillID)
        }
        // Its first run is blocked at its write; wait until it is recorded, then cancel.
        let deadline = Date(timeIntervalSinceNow: 10)
        while try runs(harness).isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let outcome = try harness.database.pool.withConnection { connection in
            try BackfillStore.requestCancel(connection, backfillID: first.backfillID, requestID: "req-cancel-1")
        }
        guard case .requested = outcome else {
            Issue.record("a running backfill is marked for cancelling, got \(outcome)")
            return
        }
        let asked = Date()
        #expect(first.wait(seconds: 10))
        #expect(Date().timeIntervalSince(asked) < 3)
        let record = first.record
        #expect(record.status == .cancelled)
        #expect(record.error?.contains("req-cancel-1") == true)
        #expect(record.daysDone == 0 && record.runIDs.count == 1)
        let run = try runs(harness)
        #expect(run.map(\.status) == [.cancelled])
        #expect(run.first?.error?.contains("backfill \(first.backfillID)") == true)
        // Finished: a second cancel is refused; an unknown backfill is unknown.
        let again = try harness.database.pool.withConnection { connection in
            try BackfillStore.requestCancel(connection, backfillID: first.backfillID, requestID: "x")
        }
        if case .finished = again {} else { Issue.record("a finished backfill cannot be cancelled, got \(again)") }
        let unknown = try harness.database.pool.withConnection { connection in
            try BackfillStore.requestCancel(connection, backfillID: 9_999, requestID: "x")
        }
        if case .unknown = unknown {} else { Issue.record("backfill 9999 does not exist, got \(unknown)") }
        blocker.release()
        #expect(try harness.count("weekly_kpi") == 0, "the cancelled run wrote nothing")
        let next = try harness.backfiller.start(request("2026-11-28", "2026-11-29", stages: ["compute-daily-kpis"]))
        #expect(next.wait(seconds: 30))
        #expect(next.record.status == .succeeded && next.record.daysDone == 2)
    }

    @Test func aFailedRunStopsTheBackfillAndEarlierDaysStay() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        // KPIs of the week of 2026-11-23 cannot be written: the backfill's KPI run for that Monday fails.
        try harness.execute(
            "ALTER TABLE weekly_kpi ADD CONSTRAINT test_no_late_weeks CHECK (week_start < '2026-11-23') NOT VALID")
        let handle = try harness.backfiller.start(
            request("2026-11-16", "2026-11-29", stages: ["aggregate-features-daily", "compute-daily-kpis"]))
        #expect(handle.wait(seconds: 60))
        let record = handle.record
        #expect(record.status == .failed)
        #expect(record.daysDone == 7)
        // Seven days of KPIs and features, then that Monday's KPI run (the first of its day) fails.
        let all = try runs(harness)
        #expect(all.count == 15)
        let failed = all.first { $0.status == .failed }
        #expect(failed?.stage == "compute-daily-kpis" && failed?.parameters["date"] == .string("2026-11-23"))
        #expect(record.failedRunID == failed?.runID)
        #expect(record.error?.contains("run \(failed?.runID ?? 0) (compute-daily-kpis for 2026-11-23) failed") == true)
        #expect(all.filter { $0.status == .succeeded }.count == 14)
        #expect(try harness.kpis("golden_u2", week: "2026-11-16") != nil)
    }

    @Test func aStepWaitsForTheNightlyRunOfItsStage() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let blocker = try RunSemanticsTests.TableBlocker(harness.database)
        defer { blocker.release() }
        let nightly = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        let backfill = try harness.backfiller.start(request("2026-11-29", "2026-11-29", stages: ["compute-daily-kpis"]))
        #expect(!backfill.wait(seconds: 2))
        #expect(backfill.record.runIDs.isEmpty)
        blocker.release()
        #expect(nightly.wait(seconds: 20))
        #expect(backfill.wait(seconds: 20))
        #expect(backfill.record.status == .succeeded && backfill.record.runIDs.count == 1)
    }

    @Test func anAbandonedBackfillIsReportedFailedAndDoesNotBlock() throws {
        let harness = try Harness()
        try harness.execute("INSERT INTO backfills (params, status, days_total) VALUES ('{}', 'running', 3)")
        let stale = try harness.database.pool.withConnection { try BackfillStore.get($0, backfillID: 1) }
        #expect(stale?.status == .failed)
        #expect(stale?.error?.contains("abandoned") == true)
        try harness.execute("INSERT INTO backfills (params, status, days_total) VALUES ('{}', 'running', 3)")
        let handle = try harness.backfiller.start(request("2026-11-29", "2026-11-29", stages: ["compute-daily-kpis"]))
        #expect(handle.wait(seconds: 20))
        #expect(handle.record.status == .succeeded)
        let all = try harness.database.pool.withConnection { try BackfillStore.list($0, limit: 10, before: nil) }
        #expect(all.map(\.status) == [.succeeded, .failed, .failed])
    }
}
