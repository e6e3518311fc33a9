import Foundation
import TestSupport
import Testing

/// deploy/configmap-trigger.yaml's script, run with curl against the real service: with the Job's key, a wait that
/// runs out is retried and joins the same run; without a key it is not retried.
@Suite(.ownThreads) struct TriggerScriptTests {
    static let configMap = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../deploy/configmap-trigger.yaml"
    ).standardizedFileURL.path

    /// Runs the script for compute-daily-kpis while the run is blocked at its write for about 2.5 s, with a 1 s
    /// `MAX_TIME`; returns the exit status, the script's output and the number of runs recorded.
    static func runBlocked(key: String?) throws -> (status: Int32, output: String, runs: Int) {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("trigger-\(UUID()).sh").path
        defer { try? FileManager.default.removeItem(atPath: script) }
        _ = try python([
            "-c",
            "import yaml,sys\nopen(sys.argv[2],'w').write(yaml.safe_load(open(sys.argv[1]))['data']['trigger.sh'])",
            configMap, script,
        ])
        let blocker = try app.database.connect()
        defer { blocker.close() }
        try blocker.begin()
        try blocker.execute("LOCK TABLE weekly_kpi IN ACCESS EXCLUSIVE MODE")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script]
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "STAGE": "compute-daily-kpis",
            "PIPELINES_ADMIN_TOKEN": TestService.adminToken, "PIPELINES_URL": "http://127.0.0.1:\(app.port)",
            "RUN_PARAMS": #"{"date":"2026-11-29"}"#, "MAX_TIME": "1", "RETRIES": "4", "RETRY_DELAY": "1",
        ]
        if let key { environment["IDEMPOTENCY_KEY"] = key }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        Thread.sleep(forTimeInterval: 2.5)
        try blocker.rollback()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExitStatus()
        let runs: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(*) FROM pipeline_runs")[0].decode(0)
        }
        return (status, String(decoding: data, as: UTF8.self), runs)
    }

    @Test func aTimedOutWaitIsRetriedWithTheJobsKeyAndJoinsTheSameRun() throws {
        let result = try Self.runBlocked(key: "0f6c5b9e-job-uid")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("the retry joins the same run"), "\(result.output)")
        #expect(result.output.contains("run finished: HTTP 200"), "\(result.output)")
        #expect(result.runs == 1, "one run however many attempts")
    }

    @Test func withoutAKeyATimedOutWaitIsNotRetried() throws {
        let result = try Self.runBlocked(key: nil)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("not retrying"), "\(result.output)")
        #expect(result.runs == 1)
    }
}
