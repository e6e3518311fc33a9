import Foundation
import JSON
import TestSupport
import Testing

/// GET /v1/status against the real service: states from real runs and configured schedules, and the answer when
/// the database is down.
@Suite(.ownThreads) struct StatusRouteTests {
    static func status(_ app: TestService) throws -> JSONValue {
        let response = try app.request("GET", "/v1/status", token: TestService.readToken)
        try #require(response.status == 200, "\(response.text)")
        return try app.json(response)
    }

    static func stage(_ status: JSONValue, _ name: String) -> JSONValue? {
        status["stages"]?.arrayValue?.first { $0["stage"] == .string(name) }
    }

    @Test func okAfterRunsWithinTheGrace() throws {
        // A grace of ~69 days: no stage can be late, so the runs alone decide.
        let app = try TestService { $0.statusLateGraceMinutes = 100_000 }
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        for stage in ["compute-daily-kpis", "detect-inactivity"] {
            let run = try app.request("POST", "/v1/pipelines/\(stage)", json: [:])
            #expect(try app.json(run)["status"] == "succeeded", "\(stage)")
        }
        let status = try Self.status(app)
        #expect(status["status"] == "ok")
        #expect(status["database"]?["reachable"] == true)
        #expect(status["database"]?["schema_version"] == status["database"]?["expected_schema_version"])
        #expect(status["data"]?["newest_answered_at"]?.stringValue != nil)
        #expect(status["data"]?["attempts_last_24h"]?.intValue != nil)
        let kpis = try #require(Self.stage(status, "compute-daily-kpis"))
        #expect(kpis["state"] == "ok")
        #expect(kpis["schedule"] == "10 2 * * *", "the CronJob's time by default")
        #expect(kpis["last_run"]?["status"] == "succeeded")
        #expect(kpis["last_success_at"]?.stringValue != nil)
        #expect(kpis["next_scheduled_at"]?.stringValue?.hasSuffix("T02:10:00Z") == true)
        #expect(Self.stage(status, "generate-weekly-report")?["schedule"] == "0 4 * * 1")
        #expect(Self.stage(status, "calibrate-irt")?["last_run"] == .null)
        #expect(status["stages"]?.arrayValue?.count == 5)
    }

    @Test func lateWhenNoSuccessSinceTheConfiguredScheduleAndOkAfterOne() throws {
        // Every day at midnight with no grace: late from 00:00 until a run succeeds.
        let app = try TestService {
            $0.stageSchedules = "compute-daily-kpis=0 0 * * *"
            $0.statusLateGraceMinutes = 0
        }
        defer { app.stop() }
        let before = try Self.status(app)
        let kpis = try #require(Self.stage(before, "compute-daily-kpis"))
        #expect(kpis["state"] == "late")
        #expect(kpis["schedule"] == "0 0 * * *")
        #expect(kpis["last_scheduled_at"]?.stringValue?.hasSuffix("T00:00:00Z") == true)
        #expect(before["status"] == "degraded")
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let run = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: [:])
        #expect(try app.json(run)["status"] == "succeeded")
        #expect(Self.stage(try Self.status(app), "compute-daily-kpis")?["state"] == "ok")
    }

    @Test func failingAfterAFailedRun() throws {
        let app = try TestService { $0.statusLateGraceMinutes = 100_000 }
        defer { app.stop() }
        // No answers at all: calibration has nothing to fit and fails.
        let run = try app.request("POST", "/v1/pipelines/calibrate-irt", json: [:])
        #expect(run.status == 422)
        #expect(try app.json(run)["run"]?["status"] == "failed")
        let status = try Self.status(app)
        #expect(status["status"] == "failing")
        let calibration = try #require(Self.stage(status, "calibrate-irt"))
        #expect(calibration["state"] == "failing")
        #expect(calibration["last_run"]?["status"] == "failed")
        #expect(calibration["last_run"]?["error"]?.stringValue?.isEmpty == false)
        #expect(calibration["last_failure_at"]?.stringValue != nil)
        let text = try app.request("GET", "/v1/status?format=text", token: TestService.readToken)
        #expect(text.status == 200)
        #expect(text.header("Content-Type")?.hasPrefix("text/plain") == true)
        let lines = text.text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("status") == true && lines.first?.hasSuffix("failing") == true)
        #expect(lines.contains { $0.hasPrefix("calibrate-irt ") && $0.contains("failing") })
        #expect(lines.contains { $0.hasPrefix("database ") && $0.contains("reachable, schema") })
        // Aligned: every value starts in the same column (after the name and its padding).
        #expect(lines.count == 8, "\(text.text)")
        let valueColumns = Set(
            lines.map { line -> Int in
                let name = line.prefix { $0 != " " }
                return name.count + line.dropFirst(name.count).prefix { $0 == " " }.count
            })
        #expect(valueColumns.count == 1, "\(text.text)")
    }

    @Test func databaseDownStillAnswers200Failing() throws {
        let database = try TestDatabase.createOnDedicatedServer()
        let app = try TestService(database: database)
        defer { app.stop() }
        try database.stopServerImmediately()
        defer { try? database.startServer() }
        let started = Date()
        let status = try Self.status(app)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(status["status"] == "failing")
        #expect(status["database"]?["reachable"] == false)
        #expect(Self.stage(status, "compute-daily-kpis")?["state"] == "unknown")
        #expect(Self.stage(status, "compute-daily-kpis")?["schedule"] == "10 2 * * *")
        let text = try app.request("GET", "/v1/status?format=text", token: TestService.readToken)
        #expect(text.status == 200)
        #expect(text.text.contains("UNREACHABLE"))
    }

    @Test func formatIsCheckedAndTheReadTokenNeeded() throws {
        let app = try TestService()
        defer { app.stop() }
        let bad = try app.request("GET", "/v1/status?format=xml", token: TestService.readToken)
        #expect(bad.status == 400)
        #expect(try app.json(bad)["error"]?["message"]?.stringValue?.contains("format") == true)
        #expect(try app.request("GET", "/v1/status", token: nil).status == 401)
    }

    @Test func badSchedulesStopStartUpNamingTheEntry() throws {
        for bad in ["compute-daily-kpis=61 2 * * *", "no-such-stage=0 0 * * *", "compute-daily-kpis=0 0 * *"] {
            #expect(throws: (any Error).self, "\(bad)") {
                let app = try TestService { $0.stageSchedules = bad }
                app.stop()
            }
        }
    }
}
