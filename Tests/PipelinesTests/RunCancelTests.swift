import Foundation
import JSON
import Postgres
import TestSupport
import Testing

@testable import Pipelines

/// Issue 14: a cancel request recorded in the database (as the route does, from any replica) stops a run within 2 s
/// wherever it is, inside a statement or computing in Swift; the run rolls back and is recorded `cancelled` naming
/// the request. A running run's progress is in its row, written outside its transaction.
@Suite(.ownThreads) struct RunCancelTests {
    /// A stage that only computes, never touching the database after it started: stoppable only by its progress
    /// checks. It counts up forever, reporting every step.
    struct SpinningJob: StageJob {
        func execute(_ context: RunContext) throws -> JSONObject {
            try context.progress.begin("spinning", total: nil)
            var done = 0
            var sink = 0.0
            while true {
                for step in 0..<10_000 { sink += Double(step).squareRoot() }
                done += 1
                try context.progress.tick(done)
                if sink < 0 { break }
            }
            return JSONObject([("sink", .double(sink))])
        }
    }

    /// Waits until the run's backend waits for a lock (false after 20 s).
    static func waitUntilBlocked(_ observer: PostgresConnection, runID: Int64) throws -> Bool {
        let name = PipelineRunner.applicationName(runID: runID, stage: Stage.computeDailyKPIs.rawValue)
        let deadline = Date(timeIntervalSinceNow: 20)
        while Date() < deadline {
            let waiting: Int = try observer.query(
                """
                SELECT count(*)::int4 FROM pg_stat_activity
                WHERE application_name = \(name) AND wait_event_type = 'Lock'
                """
            )[0].decode(0)
            if waiting > 0 { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// The stored `progress.done` of a run (nil while none was written).
    static func storedDone(_ observer: PostgresConnection, runID: Int64) throws -> Int? {
        try observer.query("SELECT (progress->>'done')::int4 FROM pipeline_runs WHERE run_id = \(runID)")[0].decode(0)
    }

    @Test func aCancelRequestStopsARunBlockedInAStatementWithinTwoSeconds() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let observer = try harness.database.connect()
        defer { observer.close() }
        let before = try harness.snapshot("weekly_kpi")
        let blocker = try RunSemanticsTests.TableBlocker(harness.database)
        let run = try harness.runner.start(harness.request(.computeDailyKPIs, ["date": "2026-11-29"]))
        #expect(try Self.waitUntilBlocked(observer, runID: run.runID))

        let outcome = try RunStore.requestCancel(observer, runID: run.runID, requestID: "req-blocked-1")
        let asked = Date()
        guard case .requested(let recorded) = outcome else {
            Issue.record("a running run must take the request: \(outcome)")
            return
        }
        #expect(recorded.status == .running)
        #expect(run.wait(seconds: 2), "the run did not stop within 2 s of the request")
        let elapsed = Date().timeIntervalSince(asked)
        print("cancel of a run blocked in a statement: stopped \(elapsed) s after the request")
        blocker.release()
        #expect(elapsed < 2, "stopped \(elapsed) s after the request")
        #expect(run.record.status == .cancelled)
        #expect(run.record.error == "cancelled by request req-blocked-1")
        let stored = try #require(try RunStore.get(observer, runID: run.runID))
        #expect(stored == run.record)
        #expect(stored.progress == nil, "finished runs drop their progress")
        #expect(try harness.snapshot("weekly_kpi") == before)
        #expect(try !observer.isAdvisoryLockHeld(Stage.computeDailyKPIs.lockKey))
        // A second request finds it finished and changes nothing.
        guard case .finished(let again) = try RunStore.requestCancel(observer, runID: run.runID, requestID: "late")
        else {
            Issue.record("a finished run must refuse a cancel request")
            return
        }
        #expect(again == stored)
        guard case .unknown = try RunStore.requestCancel(observer, runID: 999_999, requestID: "nobody") else {
            Issue.record("an unknown run must be reported unknown")
            return
        }
    }

    @Test func aCancelRequestStopsARunComputingInSwiftAndItsProgressIsStoredMeanwhile() throws {
        let harness = try Harness()
        let observer = try harness.database.connect()
        defer { observer.close() }
        let request = StageRequest(
            stage: .computeDailyKPIs, dryRun: false, parameters: JSONObject(), job: SpinningJob())
        let run = try harness.runner.start(request)
        // Progress reaches the row, outside the run's transaction, and keeps growing.
        var seen: [Int] = []
        let deadline = Date(timeIntervalSinceNow: 10)
        while seen.count < 2 && Date() < deadline {
            if let done = try Self.storedDone(observer, runID: run.runID), done > (seen.last ?? 0) { seen.append(done) }
            Thread.sleep(forTimeInterval: 0.3)
        }
        #expect(seen.count == 2, "stored progress did not grow: \(seen)")
        let phase: String? = try observer.query(
            "SELECT progress->>'phase' FROM pipeline_runs WHERE run_id = \(run.runID)")[0].decode(0)
        #expect(phase == "spinning")

        _ = try RunStore.requestCancel(observer, runID: run.runID, requestID: "req-spin-1")
        let asked = Date()
        #expect(run.wait(seconds: 2), "the computing run did not stop within 2 s of the request")
        let elapsed = Date().timeIntervalSince(asked)
        print("cancel of a run computing in Swift: stopped \(elapsed) s after the request; progress seen \(seen)")
        #expect(elapsed < 2)
        #expect(run.record.status == .cancelled)
        #expect(run.record.error == "cancelled by request req-spin-1")
        #expect(run.record.progress == nil)
    }
}
