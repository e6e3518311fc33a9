import DemoData
import Foundation
import JSON
import Postgres
import Synchronization
import TestSupport
import Testing
import UTCTime

/// Issue 14 through HTTP, with two service processes (replicas) on one database: `POST /v1/runs/{id}/cancel` on one
/// replica stops a run of the other within 2 s, inside a statement or computing; the waiting client gets 409
/// `run_cancelled` with the record; progress is visible on the other replica while the run goes on.
@Suite(.ownThreads) struct RunCancelRouteTests {
    static func cancel(_ port: Int, _ runID: String, requestID: String) throws -> TestResponse {
        try TestHTTP.request(port: port, "POST", "/v1/runs/\(runID)/cancel", headers: [("X-Request-Id", requestID)])
    }

    static func run(_ port: Int, _ runID: Int64) throws -> JSONValue {
        try JSONParser.parse(TestHTTP.request(port: port, "GET", "/v1/runs/\(runID)").body)
    }

    @Test func aCancelOnAnotherReplicaStopsABlockedRunAndItsWaitingClientGetsA409() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let observer = try database.connect()
        defer { observer.close() }
        let before = try ServiceShutdownTests.checksums(observer)
        let owner = try ServiceProcess.serve(databaseURL: database.connectionString)
        defer { owner.stop() }
        let other = try ServiceProcess.serve(databaseURL: database.connectionString)
        defer { other.stop() }
        let blocker = try database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let waited = Mutex<(response: TestResponse, at: Date)?>(nil)
        let client = Thread { [port = owner.port] in
            if let response = try? ServiceShutdownTests.trigger(port, "compute-daily-kpis", wait: true) {
                waited.withLock { $0 = (response, Date()) }
            }
        }
        client.start()
        try #require(try ServiceShutdownTests.waitForBlockedRuns(observer, count: 1))
        let runID: Int64 = try observer.query("SELECT run_id FROM pipeline_runs WHERE status = 'running'")[0].decode(0)

        let asked = Date()
        let accepted = try Self.cancel(other.port, "\(runID)", requestID: "cancel-req-42")
        #expect(accepted.status == 202, "\(accepted.text)")
        #expect(try JSONParser.parse(accepted.body)["status"] == "running")
        let deadline = Date(timeIntervalSinceNow: 10)
        while waited.withLock({ $0 == nil }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let (response, answeredAt) = try #require(waited.withLock { $0 })
        let answered = answeredAt.timeIntervalSince(asked)
        print("cancel on another replica: the waiting client was answered \(answered) s after the request")
        #expect(answered < 2, "answered \(answered) s after")
        #expect(response.status == 409, "\(response.text)")
        let body = try JSONParser.parse(response.body)
        #expect(body["error"]?["code"] == "run_cancelled")
        #expect(body["run"]?["status"] == "cancelled")
        #expect(body["run"]?["error"] == "cancelled by request cancel-req-42")
        #expect(body["run"]?["progress"] == .null)

        try blocker.rollback()
        #expect(try ServiceShutdownTests.checksums(observer) == before, "the cancelled run wrote nothing")
        #expect(try Self.run(owner.port, runID) == body["run"])
        #expect(try Self.run(other.port, runID) == body["run"])

        // A finished run: 409 with its record; an unknown one: 404; a bad id: 400.
        let finished = try Self.cancel(other.port, "\(runID)", requestID: "cancel-req-43")
        #expect(finished.status == 409)
        let refused = try JSONParser.parse(finished.body)
        #expect(refused["error"]?["code"] == "run_finished")
        #expect(refused["run"] == body["run"], "the first request's id stays in the record")
        #expect(try Self.cancel(owner.port, "999999", requestID: "x").status == 404)
        let bad = try Self.cancel(owner.port, "abc", requestID: "y")
        #expect(bad.status == 400)
        #expect(try JSONParser.parse(bad.body)["error"]?["field"] == "run_id")
    }

    @Test func progressShowsOnAnotherReplicaAndAReportRunStopsMidRendering() throws {
        let database = try TestDatabase.create()
        var options = DemoDataOptions()
        options.learners = 6_000
        options.items = 40
        options.days = 28
        options.seed = 14
        _ = try DemoData.load(options, into: database.pool, logger: TestServer.quietLogger)
        let owner = try ServiceProcess.serve(databaseURL: database.connectionString)
        defer { owner.stop() }
        let other = try ServiceProcess.serve(databaseURL: database.connectionString)
        defer { other.stop() }
        let lastSunday = Day.today().weekStart.advanced(by: -1)
        let kpis = try TestHTTP.request(
            port: owner.port, "POST", "/v1/pipelines/compute-daily-kpis",
            headers: [("Content-Type", "application/json")], body: Array(#"{"date":"\#(lastSunday.iso)"}"#.utf8))
        try #require(kpis.status == 200, "\(kpis.text)")
        let started = try TestHTTP.request(
            port: owner.port, "POST", "/v1/pipelines/generate-weekly-report?wait=false",
            headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        try #require(started.status == 202, "\(started.text)")
        let runID = try #require(try JSONParser.parse(started.body)["run_id"]?.intValue)

        // The other replica shows the reports rendered so far going up, also after the first chunk of reports was
        // stored (its rows reference the run's row, so the run's transaction holds a key-share lock on it, which the
        // monitor's row lock must not conflict with).
        var seen: [Int64] = []
        let pastFirstChunk = Int64(2_000 + 300)
        let deadline = Date(timeIntervalSinceNow: 120)
        while (seen.count < 3 || (seen.last ?? 0) < pastFirstChunk) && Date() < deadline {
            let record = try Self.run(other.port, runID)
            try #require(record["status"] == "running", "the run ended before it could be watched: \(seen)")
            if record["progress"]?["phase"] == "reports", let done = record["progress"]?["done"]?.intValue,
                done > (seen.last ?? 0)
            {
                seen.append(done)
                #expect(record["progress"]?["total"]?.intValue ?? 0 >= 5_000)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(
            seen.count >= 3 && (seen.last ?? 0) >= pastFirstChunk, "reports done, seen on the other replica: \(seen)")
        // /v1/status on the other replica shows the stage running, with the same progress, in both forms.
        let status = try TestHTTP.request(port: other.port, "GET", "/v1/status")
        let stages = try JSONParser.parse(status.body)["stages"]?.arrayValue ?? []
        let report = try #require(stages.first { $0["stage"] == "generate-weekly-report" })
        #expect(report["state"] == "running")
        #expect(report["last_run"]?["progress"]?["phase"] == "reports")
        #expect((report["last_run"]?["progress"]?["done"]?.intValue ?? 0) >= seen.last ?? 1)
        let text = try TestHTTP.request(port: other.port, "GET", "/v1/status?format=text").text
        let line = text.split(separator: "\n").first { $0.hasPrefix("generate-weekly-report") } ?? ""
        #expect(line.contains("running") && line.contains("reports ") && line.contains("/"), "\(text)")

        let asked = Date()
        let accepted = try Self.cancel(other.port, "\(runID)", requestID: "cancel-reports-1")
        #expect(accepted.status == 202, "\(accepted.text)")
        var record = try Self.run(other.port, runID)
        while record["status"] == "running" && Date().timeIntervalSince(asked) < 10 {
            Thread.sleep(forTimeInterval: 0.05)
            record = try Self.run(other.port, runID)
        }
        let elapsed = Date().timeIntervalSince(asked)
        print("cancel of a report run on another replica: recorded \(elapsed) s after the request; done seen \(seen)")
        #expect(elapsed < 2, "stopped \(elapsed) s after the request")
        #expect(record["status"] == "cancelled")
        #expect(record["error"] == "cancelled by request cancel-reports-1")
        let written: Int = try database.pool.withConnection {
            try $0.query("SELECT count(*)::int8 FROM report_artifacts")[0].decode(0)
        }
        #expect(written == 0, "the cancelled run wrote no report")
    }
}
