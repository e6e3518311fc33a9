import Foundation
import JSON
import Synchronization
import TestSupport
import Testing

/// Issue 13: two service processes (replicas) on one database, triggered at the same moment. Each round starts
/// exactly one run; the other replica answers 409 naming it, and nothing but succeeded runs is ever recorded.
@Suite(.ownThreads) struct TwoReplicaRaceTests {
    @Test func racingTriggersOnTwoReplicasStartOneRunAndNameIt() throws {
        let pair = try TwoReplicas()
        defer { pair.stop() }
        let replicas = pair.replicas
        let blocker = pair.blocker
        let rounds = 15
        for round in 0..<rounds {
            // The winner blocks at its write, so it is surely running while the loser looks for it.
            try pair.holdWrites()
            let answers = Mutex<[TestResponse]>([])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    let response = try TestHTTP.request(
                        port: replicas[index].port, "POST", "/v1/pipelines/compute-daily-kpis?wait=false",
                        headers: [("Content-Type", "application/json")], body: Array(#"{"date":"2026-11-29"}"#.utf8))
                    answers.withLock { $0.append(response) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            try #require(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
            let responses = answers.withLock { $0 }
            let started = responses.filter { $0.status == 202 }
            let refused = responses.filter { $0.status == 409 }
            try #require(started.count == 1 && refused.count == 1, "round \(round): \(responses.map(\.text))")
            let runID = try #require(try JSONParser.parse(started[0].body)["run_id"]?.intValue)
            let named = try JSONParser.parse(refused[0].body)["error"]?["running_run_id"]?.intValue
            #expect(named == runID, "round \(round): the 409 names \(String(describing: named)), not run \(runID)")
            try pair.releaseWrites()
            #expect(try Self.waitForSuccess(runID: runID, port: replicas[0].port))
        }
        let statuses: [String: Int] = try Dictionary(
            uniqueKeysWithValues: blocker.query("SELECT status, count(*)::int4 FROM pipeline_runs GROUP BY status")
                .rows.map { (try $0.decode(0), try $0.decode(1)) })
        #expect(statuses == ["succeeded": rounds])
    }

    /// Polls `GET /v1/runs/{id}` on one replica until the run has succeeded (false after 30 s or another ending).
    static func waitForSuccess(runID: Int64, port: Int) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            let response = try TestHTTP.request(port: port, "GET", "/v1/runs/\(runID)")
            switch try JSONParser.parse(response.body)["status"]?.stringValue {
            case "succeeded": return true
            case "running": Thread.sleep(forTimeInterval: 0.05)
            default: return false
            }
        }
        return false
    }
}
