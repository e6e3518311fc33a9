import Foundation
import JSON
import TestSupport
import Testing

/// A database that stops answering (its processes SIGSTOPped, sockets open) cannot hold requests: a data route and a
/// run trigger answer 503 with `Retry-After` within the acquire timeout, `/readyz` answers 503 with its reason within a second,
/// and both recover once the database runs again.
@Suite(.ownThreads) struct StalledDatabaseTests {
    @Test func aStalledDatabaseIsAnswered503InTimeAndReadinessRecovers() throws {
        let database = try TestDatabase.createOnDedicatedServer()
        let acquireTimeout = 2.0
        let app = try TestService(database: database) {
            $0.databaseAcquireTimeout = acquireTimeout
            $0.http.workerThreads = 2
        }
        defer { app.stop() }
        #expect(try app.request("GET", "/readyz").status == 200)
        #expect(try app.request("GET", "/v1/runs").status == 200)
        try database.withServerStalled {
            // Let the pooled connections sit idle long enough to be checked before they are lent again.
            Thread.sleep(forTimeInterval: 0.6)
            for attempt in 0..<2 {
                let started = Date()
                let ready = try app.request("GET", "/readyz")
                let took = Date().timeIntervalSince(started)
                #expect(ready.status == 503)
                #expect(took < 1.5, "readyz took \(took) s (attempt \(attempt))")
                #expect(ready.header("Retry-After") != nil)
                let reason = try app.json(ready)["reason"]?.stringValue ?? ""
                #expect(reason.contains("did not answer"), "\(reason)")
            }
            for attempt in 0..<3 {
                let started = Date()
                let response = try app.request("GET", "/v1/runs")
                let took = Date().timeIntervalSince(started)
                #expect(response.status == 503)
                #expect(took < acquireTimeout + 1, "a data route took \(took) s (attempt \(attempt))")
                #expect(response.header("Retry-After") != nil)
                let code = try app.json(response)["error"]?["code"]?.stringValue
                #expect(code == "database_unavailable" || code == "database_busy", "\(code ?? "none")")
            }
            // Every worker stuck on the database, with more requests queued behind them: readiness still answers
            // in time (it has threads of its own).
            let busy = DispatchGroup()
            for _ in 0..<6 {
                DispatchQueue.global().async(group: busy) { _ = try? app.request("GET", "/v1/runs") }
            }
            Thread.sleep(forTimeInterval: 0.2)
            let started = Date()
            let ready = try app.request("GET", "/readyz")
            let took = Date().timeIntervalSince(started)
            #expect(ready.status == 503)
            #expect(took < 1.5, "readyz took \(took) s with every worker stuck")
            busy.wait()
            // A trigger opens its own connection, sets it up and claims the run: all bounded by the acquire timeout.
            for attempt in 0..<2 {
                let started = Date()
                let response = try app.request(
                    "POST", "/v1/pipelines/compute-daily-kpis",
                    json: .object(JSONObject([("date", .string("2026-11-29"))])))
                let took = Date().timeIntervalSince(started)
                #expect(response.status == 503)
                #expect(took < acquireTimeout + 1, "a trigger took \(took) s (attempt \(attempt))")
                #expect(response.header("Retry-After") != nil)
                #expect(try app.json(response)["error"]?["code"]?.stringValue == "database_unavailable")
            }
        }
        // Running again: readiness and the data route come back without a restart.
        var status = 0
        let deadline = Date(timeIntervalSinceNow: 10)
        while status != 200 && Date() < deadline {
            status = try app.request("GET", "/readyz").status
            if status != 200 { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(status == 200)
        #expect(try app.request("GET", "/v1/runs").status == 200)
    }
}
