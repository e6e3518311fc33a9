import Foundation
import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// Issue 13: a service process SIGKILLed mid-run releases the stage lock within 5 s (its run's backend notices the
/// dead client mid-statement), the run reads as abandoned at once, and a new trigger succeeds.
@Suite(.ownThreads) struct ServiceKillTests {
    /// Waits until a run's backend of `database` is waiting for a lock, i.e. is inside its statement.
    static func waitForBlockedRun(_ observer: PostgresConnection, seconds: Double = 20) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            let waiting: Int = try observer.query(
                """
                SELECT count(*)::int4 FROM pg_stat_activity WHERE datname = current_database()
                  AND application_name LIKE 'seedtest-pipelines run %' AND wait_event_type = 'Lock'
                """
            )[0].decode(0)
            if waiting > 0 { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test func aKilledServiceReleasesItsRunWithinFiveSeconds() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let service = try ServiceProcess.serve(databaseURL: database.connectionString)
        defer { service.stop() }
        // The run blocks at its write, so it is inside a statement when the service dies.
        let blocker = try database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let started = try TestHTTP.request(
            port: service.port, "POST", "/v1/pipelines/compute-daily-kpis?wait=false",
            headers: [("Content-Type", "application/json")], body: Array(#"{"date":"2026-11-29"}"#.utf8))
        #expect(started.status == 202, "\(started.text)")
        let runID = try #require(try JSONParser.parse(started.body)["run_id"]?.intValue)
        let observer = try database.connect()
        defer { observer.close() }
        #expect(try Self.waitForBlockedRun(observer))

        service.kill(SIGKILL)
        let killed = Date()
        #expect(service.waitForExit(seconds: 5) != nil)
        var lockHeld = true
        while lockHeld && Date().timeIntervalSince(killed) < 10 {
            Thread.sleep(forTimeInterval: 0.05)
            lockHeld = try observer.isAdvisoryLockHeld(Stage.computeDailyKPIs.lockKey)
        }
        let elapsed = Date().timeIntervalSince(killed)
        #expect(!lockHeld)
        #expect(elapsed < 5, "the stage lock was held \(elapsed) s after SIGKILL")

        // Any reader reports the run abandoned at once, and a new trigger gets the stage.
        let record = try #require(try RunStore.get(observer, runID: runID))
        #expect(record.status == .failed)
        #expect(record.error?.hasPrefix("abandoned") == true)
        let runner = PipelineRunner(
            database: .init(connectionString: database.serverConnectionString, name: database.name),
            services: StageServices(), logger: TestServer.quietLogger)
        let next = try runner.start(
            StageRequest.parse(stage: .computeDailyKPIs, body: ["date": "2026-11-29"], today: Day(iso: "2026-11-30")!))
        try blocker.rollback()
        #expect(next.wait(seconds: 30))
        #expect(next.record.status == .succeeded)
    }
}
