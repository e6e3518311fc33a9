import Foundation
import JSON
import TestSupport
import Testing

/// LOG_FORMAT and W3C trace context, on the real executable's standard error.
@Suite(.ownThreads) struct LogFormatTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let traceparent = "00-\(traceID)-00f067aa0ba902b7-01"

    /// Triggers a run with a `traceparent`, checks the echoed header, and returns the run id.
    static func tracedRun(port: Int) throws -> Int64 {
        let response = try TestHTTP.request(
            port: port, "POST", "/v1/pipelines/compute-daily-kpis",
            headers: [("Content-Type", "application/json"), ("traceparent", traceparent)],
            body: Array(#"{"date":"2026-11-29"}"#.utf8))
        try #require(response.status == 200, "\(response.text)")
        let echoed = try #require(response.header("traceparent"))
        let parts = echoed.split(separator: "-").map(String.init)
        #expect(parts.count == 4 && parts[0] == "00" && parts[1] == traceID && parts[3] == "01", "\(echoed)")
        #expect(parts.count == 4 && parts[2].count == 16 && parts[2] != "00f067aa0ba902b7", "a new span id: \(echoed)")
        return try #require(try JSONParser.parse(response.body)["run_id"]?.intValue)
    }

    /// Waits for the log sink's flush (every 100 ms) and returns the lines written so far.
    static func lines(of service: ServiceProcess, containing markers: [String]) -> [Substring] {
        let deadline = Date(timeIntervalSinceNow: 5)
        var text = service.standardError
        while !markers.allSatisfy(text.contains) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            text = service.standardError
        }
        return text.split(separator: "\n")
    }

    @Test func jsonLinesCarryRunIDStageAndTraceID() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let service = try ServiceProcess.serve(
            databaseURL: database.connectionString, environment: ["LOG_FORMAT": "json"], accessLog: true)
        defer { service.stop() }
        let runID = try Self.tracedRun(port: service.port)
        // An invalid traceparent is ignored: answered normally, nothing echoed.
        let invalid = try TestHTTP.request(
            port: service.port, "GET", "/healthz",
            headers: [("traceparent", "00-\(String(repeating: "0", count: 32))-00f067aa0ba902b7-01")])
        #expect(invalid.status == 200)
        #expect(invalid.header("traceparent") == nil)
        let lines = Self.lines(
            of: service, containing: [#""msg":"run succeeded""#, #""route":"/v1/pipelines/{stage}""#])
        var objects: [JSONValue] = []
        for line in lines {
            do {
                objects.append(try JSONParser.parse(Array(line.utf8)))
            } catch {
                Issue.record("not a JSON line: \(line)")
            }
        }
        let runLines = objects.filter {
            ["run started", "kpis computed", "run succeeded"].contains($0["msg"]?.stringValue ?? "")
        }
        #expect(runLines.count == 3, "\(lines)")
        for line in runLines {
            #expect(line["run_id"] == .string("\(runID)"), "\(line)")
            #expect(line["stage"] == "compute-daily-kpis", "\(line)")
            #expect(line["trace_id"] == .string(Self.traceID), "\(line)")
            #expect(line["ts"]?.stringValue != nil && line["level"] == "info")
        }
        let access = objects.filter { $0["msg"] == "access" }
        let runAccess = try #require(access.first { $0["route"] == "/v1/pipelines/{stage}" }, "\(lines)")
        #expect(runAccess["trace_id"] == .string(Self.traceID))
        #expect(runAccess["status"] == 200 && runAccess["method"] == "POST")
        #expect(runAccess["duration_ms"]?.doubleValue != nil)
        let health = try #require(access.last { $0["route"] == "/healthz" })
        #expect(health["trace_id"] == nil)
    }

    @Test func logfmtIsTheDefaultAndCarriesTheTraceToo() throws {
        let database = try TestDatabase.create()
        try Attempts.insert(Attempts.goldenExample(), into: database)
        let service = try ServiceProcess.serve(databaseURL: database.connectionString, accessLog: true)
        defer { service.stop() }
        let runID = try Self.tracedRun(port: service.port)
        let lines = Self.lines(
            of: service, containing: [#"msg="run succeeded""#, "route=/v1/pipelines/{stage}"])
        let succeeded = try #require(lines.first { $0.contains("msg=\"run succeeded\"") }, "\(lines)")
        #expect(
            succeeded.contains(" trace_id=\(Self.traceID) run_id=\(runID) stage=compute-daily-kpis "), "\(succeeded)")
        let access = try #require(
            lines.first { $0.contains("msg=access") && $0.contains("route=/v1/pipelines/{stage}") })
        #expect(access.contains(" trace_id=\(Self.traceID) method=POST "), "\(access)")
        #expect(!lines.contains { $0.hasPrefix("{") })
    }
}
