import Foundation
import JSON
import Pipelines
import Postgres
import Synchronization
import TestSupport
import Testing

/// Issue 13: SIGTERM with a short grace period. Runs still going when it is over are cancelled (rolled back, recorded
/// `cancelled` with the shutdown reason), a client waiting for one is answered 503 with the run record, and the
/// process exits within the grace period plus 5 s with status 3; a shutdown that cuts nothing off exits 0.
@Suite(.ownThreads) struct ServiceShutdownTests {
    static let tables = ["weekly_kpi", "features_topic_daily", "attempts"]

    /// A checksum of each table's rows.
    static func checksums(_ connection: PostgresConnection) throws -> [String] {
        try tables.map { table in
            try connection.query(
                "SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM \(identifier: table) t")[0]
                .decode(0)
        }
    }

    static func waitForBlockedRuns(_ observer: PostgresConnection, count: Int) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: 20)
        while Date() < deadline {
            let waiting: Int = try observer.query(
                """
                SELECT count(*)::int4 FROM pg_stat_activity WHERE datname = current_database()
                  AND application_name LIKE 'seedtest-pipelines run %' AND wait_event_type = 'Lock'
                """
            )[0].decode(0)
            if waiting >= count { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    static func trigger(_ port: Int, _ stage: String, wait: Bool) throws -> TestResponse {
        try TestHTTP.request(
            port: port, "POST", "/v1/pipelines/\(stage)\(wait ? "" : "?wait=false")",
            headers: [("Content-Type", "application/json")], body: Array(#"{"date":"2026-11-29"}"#.utf8), timeout: 30)
    }

    @Test func runsCutOffByTheGracePeriodAreCancelledAndAnswered() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let observer = try database.connect()
        defer { observer.close() }
        let before = try Self.checksums(observer)
        let service = try ServiceProcess.serve(
            databaseURL: database.connectionString, arguments: ["--grace-period", "1"])
        defer { service.stop() }
        // Both runs block at their writes, so both are inside a statement when the grace period ends.
        let blocker = try database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi, features_topic_daily IN ACCESS EXCLUSIVE MODE")
        let background = try Self.trigger(service.port, "aggregate-features-daily", wait: false)
        #expect(background.status == 202)
        let waited = Mutex<Result<TestResponse, any Error>?>(nil)
        let client = Thread { [port = service.port] in
            let result = Result { try Self.trigger(port, "compute-daily-kpis", wait: true) }
            waited.withLock { $0 = result }
        }
        client.start()
        #expect(try Self.waitForBlockedRuns(observer, count: 2))

        service.kill(SIGTERM)
        let signalled = Date()
        let status = service.waitForExit(seconds: 10)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(status == 3, "exit status (3: work cut off, as the README says) \(String(describing: status))")
        #expect(elapsed < 1 + 5, "exited \(elapsed) s after SIGTERM with a 1 s grace period")
        #expect(elapsed >= 1, "the grace period is given in full")

        // The waiting client got its answer before the process went.
        let deadline = Date(timeIntervalSinceNow: 5)
        while waited.withLock({ $0 == nil }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let response = try #require(try waited.withLock { $0 }?.get())
        #expect(response.status == 503)
        #expect(response.header("Retry-After") != nil)
        let body = try JSONParser.parse(response.body)
        #expect(body["error"]?["code"] == "run_cancelled")
        #expect(body["run"]?["status"] == "cancelled")
        #expect(body["run"]?["error"] == .string(PipelineRunner.shutdownReason))
        #expect(body["run"]?["finished_at"]?.stringValue != nil)

        // Both runs are stored cancelled with the reason, rolled back, and their locks are free.
        try blocker.rollback()
        let rows = try observer.query("SELECT stage, status, error FROM pipeline_runs ORDER BY run_id").rows.map {
            (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String?.self))
        }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.1 == "cancelled" && $0.2 == PipelineRunner.shutdownReason }, "\(rows)")
        let runID = try #require(body["run"]?["run_id"]?.intValue)
        let stored = try #require(try RunStore.get(observer, runID: runID))
        #expect(stored.json == body["run"])
        #expect(try Self.checksums(observer) == before)
        for stage in [Stage.computeDailyKPIs, .aggregateFeaturesDaily] {
            #expect(try !observer.isAdvisoryLockHeld(stage.lockKey))
        }
        #expect(service.standardError.contains("grace period over; cancelling the runs still going"))
    }

    /// Cancelling a run sends `PQcancel`, which never returns from a stalled server: the shutdown must not wait for it.
    @Test func aShutdownWithTheDatabaseStalledStillExitsInTime() throws {
        let fixture = try BlockedRun.start()
        defer { fixture.close() }
        let (database, service) = (fixture.database, fixture.service)
        let (status, elapsed) = try database.withServerStalled {
            service.kill(SIGTERM)
            let signalled = Date()
            let status = service.waitForExit(seconds: 10)
            return (status, Date().timeIntervalSince(signalled))
        }
        #expect(status == 3, "exit status \(String(describing: status)): \(service.standardError)")
        #expect(elapsed < 1 + 5, "exited \(elapsed) s after SIGTERM with a 1 s grace period and the database stalled")
    }

    /// A run whose database went down ends with a record the client was told but the database could not store;
    /// shutdown tries once more, boundedly, and names the runs it could not store.
    @Test func aShutdownWithTheDatabaseDownNamesTheRunOutcomesLeftUnstored() throws {
        let fixture = try BlockedRun.start()
        defer { fixture.close() }
        let (database, service, runID) = (fixture.database, fixture.service, fixture.runID)
        // Stopped with the run still blocked by the lock (the blocker's session goes with the server).
        try database.stopServerImmediately()
        defer { try? database.startServer() }
        // The run fails with its connection; its record cannot be stored while the database is down.
        let deadline = Date(timeIntervalSinceNow: 10)
        while !service.standardError.contains("run outcome not stored yet") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        service.kill(SIGTERM)
        let signalled = Date()
        _ = service.waitForExit(seconds: 10)
        let elapsed = Date().timeIntervalSince(signalled)
        #expect(elapsed < 1 + 5, "exited \(elapsed) s after SIGTERM")
        let log = service.standardError
        #expect(log.contains("run outcomes told to clients were not stored"), "\(log)")
        #expect(log.contains("run_ids=[\(runID)]"), "\(log)")
    }

    @Test func aShutdownThatCutsNothingOffExitsZero() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let service = try ServiceProcess.serve(
            databaseURL: database.connectionString, arguments: ["--grace-period", "5"])
        defer { service.stop() }
        let run = try Self.trigger(service.port, "compute-daily-kpis", wait: false)
        #expect(run.status == 202)
        service.kill(SIGTERM)
        #expect(service.waitForExit(seconds: 10) == 0, "\(service.standardError)")
        let observer = try database.connect()
        defer { observer.close() }
        let status: String = try observer.query("SELECT status FROM pipeline_runs")[0].decode(0)
        #expect(status == "succeeded", "a run started before SIGTERM finishes within the grace period")
    }
}

/// A service with a 1 s grace period on a dedicated PostgreSQL server (which a test may stall or stop), whose
/// compute-daily-kpis run is blocked at its write by another session's table lock.
private struct BlockedRun {
    let database: TestDatabase
    let observer: PostgresConnection
    let blocker: PostgresConnection
    let service: ServiceProcess
    let runID: Int64

    /// Starts it all; whatever was started is stopped again if a later step fails.
    static func start() throws -> BlockedRun {
        let database = try TestDatabase.createOnDedicatedServer()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        var ready = false
        let observer = try database.connect()
        defer { if !ready { observer.close() } }
        let blocker = try database.connect()
        defer { if !ready { blocker.close() } }
        let service = try ServiceProcess.serve(
            databaseURL: database.connectionString, arguments: ["--grace-period", "1"])
        defer { if !ready { service.stop() } }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi, features_topic_daily IN ACCESS EXCLUSIVE MODE")
        let started = try ServiceShutdownTests.trigger(service.port, "compute-daily-kpis", wait: false)
        try #require(started.status == 202, "\(started.text)")
        let runID = try #require(try JSONParser.parse(started.body)["run_id"]?.intValue)
        try #require(try ServiceShutdownTests.waitForBlockedRuns(observer, count: 1))
        ready = true
        return BlockedRun(database: database, observer: observer, blocker: blocker, service: service, runID: runID)
    }

    func close() {
        service.stop()
        blocker.close()
        observer.close()
    }
}
