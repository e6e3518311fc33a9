import Foundation
import JSON
import Pipelines
import Synchronization
import TestSupport
import Testing

/// Retry-safe triggers (issue 14): an `Idempotency-Key` makes a retried trigger join the run the key started.
@Suite(.ownThreads) struct IdempotencyKeyTests {
    static let kpis = "/v1/pipelines/compute-daily-kpis"

    static func key(_ value: String) -> [(String, String)] { [("Idempotency-Key", value)] }

    static func runCount(_ app: TestService) throws -> Int {
        try app.database.pool.withConnection { try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0) }
    }

    @Test func theSameKeyTwiceStartsOneRunAndBothAnswersCarryIt() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let first = try app.request("POST", Self.kpis, json: ["date": "2026-11-29"], headers: Self.key("nightly-1"))
        #expect(first.status == 200)
        let retry = try app.request("POST", Self.kpis, json: ["date": "2026-11-29"], headers: Self.key("nightly-1"))
        #expect(retry.status == 200)
        let run = try app.json(first)
        #expect(run["status"] == "succeeded")
        #expect(try app.json(retry) == run, "the retry answers the original run's record")
        let later = try app.request(
            "POST", Self.kpis + "?wait=false", json: ["date": "2026-11-29"], headers: Self.key("nightly-1"))
        #expect(later.status == 202)
        #expect(later.header("Location") == "/v1/runs/\(run["run_id"]?.intValue ?? -1)")
        #expect(try app.json(later)["run_id"] == run["run_id"])
        #expect(try Self.runCount(app) == 1)
        // Keys are per stage: the same key on another stage is another request.
        let other = try app.request(
            "POST", "/v1/pipelines/detect-inactivity", json: [:], headers: Self.key("nightly-1"))
        #expect(other.status == 200)
        #expect(try app.json(other)["run_id"] != run["run_id"])
    }

    /// A retry that arrives while the run is still going waits for it and answers its outcome.
    @Test func aRetryWhileTheRunIsGoingWaitsForIt() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let blocker = try app.database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let started = try app.request("POST", Self.kpis + "?wait=false", json: [:], headers: Self.key("k-running"))
        #expect(started.status == 202)
        let runID = try app.json(started)["run_id"]
        let answer = Mutex<TestResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            answer.withLock { $0 = try? app.request("POST", Self.kpis, json: [:], headers: Self.key("k-running")) }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 1) == .timedOut, "the retry waits while the run is blocked")
        try blocker.rollback()
        #expect(done.wait(timeout: .now() + 30) == .success)
        let retry = try #require(answer.withLock { $0 })
        #expect(retry.status == 200)
        #expect(try app.json(retry)["run_id"] == runID)
        #expect(try app.json(retry)["status"] == "succeeded")
        #expect(try Self.runCount(app) == 1)
    }

    /// A retry answers as the original did, also for a run that failed for lack of data (422, not 500).
    @Test func aRetryOfARunWithTooLittleDataIsA422Again() throws {
        let app = try TestService()
        defer { app.stop() }
        let path = "/v1/pipelines/calibrate-irt"
        let first = try app.request("POST", path, json: ["date": "2026-11-29"], headers: Self.key("k-empty"))
        #expect(first.status == 422)
        let retry = try app.request("POST", path, json: ["date": "2026-11-29"], headers: Self.key("k-empty"))
        #expect(retry.status == 422)
        #expect(try app.json(retry)["error"]?["code"] == "insufficient_data")
        #expect(try app.json(retry)["run"] == (try app.json(first))["run"])
        #expect(try app.json(first)["run"]?["counts"] == ["insufficient_data": true])
        #expect(try Self.runCount(app) == 1)
    }

    @Test func theSameKeyWithOtherParametersIs422() throws {
        let app = try TestService()
        defer { app.stop() }
        let first = try app.request("POST", Self.kpis, json: ["date": "2026-11-29"], headers: Self.key("k-params"))
        #expect(first.status == 200)
        let other = try app.request("POST", Self.kpis, json: ["date": "2026-11-28"], headers: Self.key("k-params"))
        #expect(other.status == 422)
        let error = try app.json(other)["error"]
        #expect(error?["code"] == "idempotency_key_reused")
        #expect(error?["run_id"] == (try app.json(first))["run_id"])
        #expect(try Self.runCount(app) == 1)
    }

    @Test func aMalformedKeyIs400NamingTheHeader() throws {
        let app = try TestService()
        defer { app.stop() }
        let bad = ["", "has space", String(repeating: "k", count: 256), "ключ", "tab\there"]
        for key in bad {
            let response = try app.request("POST", Self.kpis, json: [:], headers: Self.key(key))
            #expect(response.status == 400, "\(key)")
            let error = try app.json(response)["error"]
            #expect(error?["field"] == "Idempotency-Key", "\(key)")
            #expect(error?["message"]?.stringValue?.contains("Idempotency-Key") == true)
        }
        let twice = try app.request("POST", Self.kpis, json: [:], headers: Self.key("a") + Self.key("b"))
        #expect(twice.status == 400)
        let longest = String(repeating: "~", count: 255)
        #expect(try app.request("POST", Self.kpis, json: [:], headers: Self.key(longest)).status == 200)
        #expect(try Self.runCount(app) == 1)
    }

    @Test func aKeyOlderThan24HoursStartsANewRun() throws {
        let app = try TestService()
        defer { app.stop() }
        let first = try app.json(app.request("POST", Self.kpis, json: [:], headers: Self.key("k-old")))
        try app.database.pool.withConnection { connection in
            _ = try connection.query("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 second'")
        }
        let second = try app.json(app.request("POST", Self.kpis, json: [:], headers: Self.key("k-old")))
        let firstID = try #require(first["run_id"]?.intValue)
        let secondID = try #require(second["run_id"]?.intValue)
        #expect(secondID != firstID)
        let target: Int64 = try app.database.pool.withConnection {
            try $0.query("SELECT target_id FROM idempotency_keys WHERE key = 'k-old'")[0].decode(0)
        }
        #expect(target == secondID, "the key now names the new run")
    }

    /// A run cut off by a shutdown (cancelled, rolled back) or by its process dying (abandoned) did nothing: a retry
    /// with its key starts the run again and the key moves to the new run; a run that ended on its own is answered.
    @Test func aRetryAfterARunWasCutOffStartsItAgain() throws {
        let app = try TestService()
        defer { app.stop() }
        let reasons = [
            ("k-shutdown", "cancelled", PipelineRunner.shutdownReason),
            ("k-abandoned", "failed", "abandoned: the process running it stopped before it finished"),
        ]
        for (key, status, reason) in reasons {
            let first = try app.json(app.request("POST", Self.kpis, json: [:], headers: Self.key(key)))
            let firstID = try #require(first["run_id"]?.intValue)
            // What a shutdown or the abandoned-run sweep leaves on the row (the run's results were rolled back).
            try app.database.pool.withConnection { connection in
                _ = try connection.query(
                    "UPDATE pipeline_runs SET status = \(status), error = \(reason) WHERE run_id = \(firstID)")
            }
            let retry = try app.request("POST", Self.kpis, json: [:], headers: Self.key(key))
            #expect(retry.status == 200, "\(retry.text)")
            let retryID = try #require(try app.json(retry)["run_id"]?.intValue)
            #expect(retryID != firstID, "\(key): the cut-off run is started again")
            let again = try app.json(app.request("POST", Self.kpis, json: [:], headers: Self.key(key)))
            #expect(again["run_id"]?.intValue == retryID, "\(key): the key now names the new run")
        }
        // A run that failed on its own is answered as it ended, not run again.
        let failed = try app.json(app.request("POST", Self.kpis, json: [:], headers: Self.key("k-failed")))
        let failedID = try #require(failed["run_id"]?.intValue)
        try app.database.pool.withConnection { connection in
            _ = try connection.query(
                "UPDATE pipeline_runs SET status = 'failed', error = 'boom' WHERE run_id = \(failedID)")
        }
        let answered = try app.request("POST", Self.kpis, json: [:], headers: Self.key("k-failed"))
        let answeredRun = try app.json(answered)["run"]?["run_id"]?.intValue
        #expect(answered.status == 500 && answeredRun == failedID)
    }

    /// A trigger refused with 409 started nothing, so its key names nothing and a later retry starts the run.
    @Test func aRunThatDidNotStartLeavesNoKey() throws {
        let app = try TestService()
        defer { app.stop() }
        let blocker = try app.database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let running = try app.request("POST", Self.kpis + "?wait=false", json: [:])
        #expect(running.status == 202)
        let refused = try app.request("POST", Self.kpis, json: [:], headers: Self.key("k-refused"))
        #expect(refused.status == 409)
        let keys: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM idempotency_keys")[0].decode(0)
        }
        #expect(keys == 0)
        try blocker.rollback()
        let runningID = try #require(try app.json(running)["run_id"]?.intValue)
        for _ in 0..<600 where try app.json(app.request("GET", "/v1/runs/\(runningID)"))["status"] == "running" {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let retried = try app.request("POST", Self.kpis, json: [:], headers: Self.key("k-refused"))
        #expect(retried.status == 200)
        #expect(try Self.runCount(app) == 2)
    }

    /// Two replicas get the same key at the same moment: one run starts, and both answers name it. The replica that
    /// did not start it waits for it through the database (odd rounds wait, even rounds answer 202 at once).
    @Test func racingReplicasWithOneKeyStartOneRun() throws {
        let pair = try TwoReplicas()
        defer { pair.stop() }
        let replicas = pair.replicas
        let blocker = pair.blocker
        let rounds = 8
        for round in 0..<rounds {
            try pair.holdWrites()
            let waiting = round % 2 == 1
            let answers = Mutex<[TestResponse]>([])
            let group = DispatchGroup()
            for replica in replicas {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    let response = try? TestHTTP.request(
                        port: replica.port, "POST", "/v1/pipelines/compute-daily-kpis?wait=\(waiting)",
                        headers: [("Content-Type", "application/json"), ("Idempotency-Key", "race-\(round)")],
                        body: Array(#"{"date":"2026-11-29"}"#.utf8), timeout: 30)
                    if let response { answers.withLock { $0.append(response) } }
                }
            }
            // A waiting round releases the run while both wait; the other answers while it is still blocked.
            if waiting { Thread.sleep(forTimeInterval: 0.5) } else { _ = group.wait(timeout: .now() + 40) }
            try pair.releaseWrites()
            #expect(group.wait(timeout: .now() + 40) == .success)
            let responses = answers.withLock { $0 }
            let expected = waiting ? 200 : 202
            try #require(
                responses.map(\.status) == [expected, expected], "round \(round): \(responses.map(\.text))")
            let ids = try responses.map { try JSONParser.parse($0.body)["run_id"]?.intValue }
            #expect(ids[0] != nil && ids[0] == ids[1], "round \(round): \(ids)")
            if waiting {
                #expect(try responses.map { try JSONParser.parse($0.body)["status"] } == ["succeeded", "succeeded"])
            }
            #expect(try TwoReplicaRaceTests.waitForSuccess(runID: ids[0] ?? -1, port: replicas[1].port))
        }
        let runs: Int = try blocker.query("SELECT count(*) FROM pipeline_runs WHERE status = 'succeeded'")[0].decode(0)
        #expect(runs == rounds)
        let total: Int = try blocker.query("SELECT count(*) FROM pipeline_runs")[0].decode(0)
        #expect(total == rounds)
    }
}
