import Foundation
import Glibc
import JSON
import TestSupport
import Testing

/// A real Prometheus server (Debian's `prometheus` package, installed by scripts/install-test-tools.sh) scrapes the
/// test service every second with the read token, as the ServiceMonitor does in a cluster, and evaluates
/// deploy/prometheusrule.yaml against those series: PromQL through its HTTP API sees the service up, a stage's
/// last-success gauge turn from 0 to the run's time after a run, and SeedtestStageLate pending for exactly the stages
/// that never succeeded; every query of the Grafana dashboard is accepted. The same live scrape passes
/// `promtool check metrics`.
@Suite(.ownThreads) struct PrometheusServerTests {
    @Test func prometheusScrapesTheServiceAndSeesARunsLastSuccess() throws {
        #expect(toolPath("promtool") != nil, "promtool is needed (apt-get install prometheus)")
        let app = try TestService()
        defer { app.stop() }
        let prometheus = try PrometheusServer(scraping: app.port)
        defer { prometheus.stop() }

        // Up, and the stage never succeeded yet.
        let stage = "detect-inactivity"
        let lastSuccess =
            "seedtest_stage_last_success_timestamp_seconds{job=\"seedtest-pipelines\", stage=\"\(stage)\"}"
        let before = try prometheus.waitFor("\(lastSuccess) == 0", seconds: 30) { $0.count == 1 }
        #expect(before.count == 1, "\(prometheus.log)")
        #expect(try prometheus.query("up{job=\"seedtest-pipelines\"}").map(PrometheusServer.value) == [1])

        let started = Date().timeIntervalSince1970
        let run = try app.request("POST", "/v1/pipelines/\(stage)", json: [:])
        #expect(try app.json(run)["status"] == "succeeded")
        // Read from pipeline_runs at most every 10 s, scraped every second.
        let after = try prometheus.waitFor("\(lastSuccess) > 0", seconds: 30) { $0.count == 1 }
        let value = after.first.flatMap(PrometheusServer.value) ?? 0
        #expect(value >= started.rounded(.down) - 1 && value <= Date().timeIntervalSince1970, "\(after)")

        // The alert rules evaluate on the real series: every other stage has never succeeded, so it is late.
        let neverRun: Set = [
            "compute-daily-kpis", "aggregate-features-daily", "calibrate-irt", "generate-weekly-report",
        ]
        func stages(_ result: [JSONValue]) -> Set<String> {
            Set(result.compactMap { $0["metric"]?["stage"]?.stringValue })
        }
        let late = try prometheus.waitFor("ALERTS{alertname=\"SeedtestStageLate\"}", seconds: 30) {
            stages($0) == neverRun
        }
        #expect(stages(late) == neverRun, "\(late)")
        let rules = try prometheus.get("/api/v1/rules")
        let evaluated = (rules["data"]?["groups"]?.arrayValue ?? []).flatMap { $0["rules"]?.arrayValue ?? [] }
        #expect(evaluated.count == 6)
        for rule in evaluated {
            #expect(rule["health"] == "ok", "\(rule["name"]?.stringValue ?? "?"): \(rule["lastError"] ?? .null)")
        }

        // Every query of the Grafana dashboard is PromQL this Prometheus accepts, and the stage panel has data.
        for expression in try Self.dashboardQueries() {
            let promql = expression.replacingOccurrences(of: "$__rate_interval", with: "1m")
            #expect(throws: Never.self, "\(promql)") { _ = try prometheus.query(promql) }
        }
        let sinceSuccess = try prometheus.query(
            "time() - max by (stage) (seedtest_stage_last_success_timestamp_seconds{job=\"seedtest-pipelines\"})")
        #expect(sinceSuccess.count == 5)

        // promtool on the same live scrape.
        let scrape = try app.request("GET", "/metrics", token: TestService.readToken)
        try #require(scrape.status == 200)
        let scrapePath = NSTemporaryDirectory() + "scrape-\(UUID().uuidString).txt"
        try Data(scrape.body).write(to: URL(fileURLWithPath: scrapePath))
        defer { try? FileManager.default.removeItem(atPath: scrapePath) }
        let check = try runTool("promtool", ["check", "metrics"], inputPath: scrapePath)
        // promtool's lint has nothing to say: base units, `_total` only on counters, HELP and TYPE on every series.
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(check.output)")
    }
}

extension PrometheusServerTests {
    /// The PromQL of every panel of deploy/grafana-dashboard.yaml.
    static func dashboardQueries() throws -> [String] {
        let map = try DeployFiles.document("grafana-dashboard.yaml")
        let text = map["data"]?.objectValue?.members.first?.value.stringValue ?? ""
        let dashboard = try JSONParser.parse(Array(text.utf8))
        return (dashboard["panels"]?.arrayValue ?? []).flatMap { panel in
            (panel["targets"]?.arrayValue ?? []).compactMap { $0["expr"]?.stringValue }
        }
    }
}

/// `prometheus` on a free loopback port with its own data directory, scraping the service on `port` every second
/// as job `seedtest-pipelines` with the read token, and loading the rules of deploy/prometheusrule.yaml.
final class PrometheusServer: @unchecked Sendable {
    let port = FreePort.next()
    private let directory: URL
    private let process = Process()

    init(scraping servicePort: Int) throws {
        guard let executable = toolPath("prometheus") else {
            throw TestClientError("prometheus is needed (apt-get install prometheus)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rules = try python([
            DeployFiles.root.appendingPathComponent("scripts/extract-rules.py").path,
            DeployFiles.path("prometheusrule.yaml"),
        ])
        try Data(rules.utf8).write(to: directory.appendingPathComponent("seedtest-rules.yaml"))
        let configuration = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [seedtest-rules.yaml]
            scrape_configs:
              - job_name: seedtest-pipelines
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials: \(TestService.readToken)
                static_configs:
                  - targets: ["127.0.0.1:\(servicePort)"]
            """
        try Data(configuration.utf8).write(to: directory.appendingPathComponent("prometheus.yml"))
        process.executableURL = URL(fileURLWithPath: executable)
        process.currentDirectoryURL = directory
        process.arguments = [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        let log = directory.appendingPathComponent("prometheus.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            if (try? get("/-/ready")) != nil { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let text = self.log
        stop()
        throw TestClientError("prometheus did not become ready:\n\(text)")
    }

    var log: String {
        (try? String(contentsOfFile: directory.appendingPathComponent("prometheus.log").path, encoding: .utf8)) ?? ""
    }

    /// GET `path` on the server's HTTP API; its body as JSON (`/-/ready` answers text: an empty object then).
    @discardableResult
    func get(_ path: String) throws -> JSONValue {
        let body = try python([
            "-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())",
            "http://127.0.0.1:\(port)\(path)",
        ])
        return path.hasPrefix("/api/") ? try JSONParser.parse(Array(body.utf8)) : [:]
    }

    /// The result vector of an instant PromQL query.
    func query(_ promql: String) throws -> [JSONValue] {
        let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
        let answer = try get("/api/v1/query?query=\(encoded)")
        guard answer["status"] == "success" else { throw TestClientError("query \(promql): \(answer)") }
        return answer["data"]?["result"]?.arrayValue ?? []
    }

    /// The sample value of one element of a result vector (`"value": [time, "text"]`).
    static func value(_ element: JSONValue) -> Double? {
        guard let pair = element["value"]?.arrayValue, pair.count == 2 else { return nil }
        return pair[1].stringValue.flatMap(Double.init)
    }

    /// Queries `promql` until `done` holds for its result or `seconds` pass; the last result.
    func waitFor(_ promql: String, seconds: Double, until done: ([JSONValue]) -> Bool) throws -> [JSONValue] {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var result = try query(promql)
        while !done(result) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
            result = try query(promql)
        }
        return result
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitForExitStatus()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
