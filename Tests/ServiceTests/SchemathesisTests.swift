import Foundation
import TestSupport
import Testing

/// A bounded schemathesis run (scripts/install-test-tools.sh pins the version) against the real server over demo
/// data: all 29 operations, all checks, positive and negative data, the stateful phase, a fixed seed and a small
/// number of examples per operation. It passes only with no server error, no response outside its schema, no
/// undocumented status code and no wrong answer to an undeclared method. The one widened check is in
/// `schemathesis.toml` beside this file, with the reason for each entry.
@Suite(.ownThreads) struct SchemathesisTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let spec = directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("openapi.yaml").path

    @Test func everyOperationHoldsToTheContract() throws {
        let app = try TestService()
        defer { app.stop() }
        try app.loadSmallDemo()
        // Results to read: KPIs, features, a calibration, inactivity and reports exist before the run starts.
        for stage in ["compute-daily-kpis", "aggregate-features-daily", "detect-inactivity", "generate-weekly-report"] {
            _ = try app.request("POST", "/v1/pipelines/\(stage)", json: [:])
        }
        _ = try app.request("POST", "/v1/pipelines/calibrate-irt", json: ["min_item_responses": 5])
        // One worker: with two, CPython 3.11.7's ast module (which hypothesis uses to describe its filters) can fail
        // with "AST constructor recursion depth mismatch" when two threads parse at once, an error of the tool's.
        let output: String
        do {
            output = try python([
                "-c", "from schemathesis.cli import schemathesis; schemathesis(prog_name='schemathesis')",
                "--config-file", Self.directory.appendingPathComponent("schemathesis.toml").path,
                "run", Self.spec, "--url", "http://127.0.0.1:\(app.port)",
                "-H", "Authorization: Bearer \(TestService.adminToken)",
                "--checks", "all", "--mode", "all", "--max-examples", "15", "--seed", "20261204",
                "--generation-database", "none", "--workers", "1", "--request-timeout", "30", "--no-color",
            ])
        } catch {
            Issue.record("schemathesis found problems:\n\(error)")
            return
        }
        let summary = output.components(separatedBy: "\n").filter {
            $0.contains("Tested:") || $0.contains("generated") || $0.contains("passed") || $0.contains("failures")
        }
        print("schemathesis: \(summary.joined(separator: " | "))")
        #expect(output.contains("Tested: 29"), "\(output)")
    }
}
