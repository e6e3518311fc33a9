import Foundation
import JSON
import TestSupport
import Testing

/// deploy/ through the real tools: Debian's kubectl renders all of it with kustomize, checkov passes over it (its
/// skips are annotations with a reason in the manifests), and the monitoring manifests agree with the Service, the
/// Secret and the series the service exposes. scripts/install-test-tools.sh installs the tools.
@Suite(.ownThreads) struct DeployManifestTests {
    @Test func kustomizeRendersEveryResource() throws {
        let rendered = try runTool("kubectl", ["kustomize", DeployFiles.directory.path])
        #expect(rendered.status == 0, "\(rendered.output)")
        let file = NSTemporaryDirectory() + "kustomize-\(UUID().uuidString).yaml"
        try Data(rendered.output.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let resources = try DeployFiles.documents(atPath: file).compactMap { document -> String? in
            guard let kind = document["kind"]?.stringValue, let name = document["metadata"]?["name"]?.stringValue
            else { return nil }
            return "\(kind)/\(name)"
        }
        let stages = [
            "compute-daily-kpis", "aggregate-features-daily", "calibrate-irt", "detect-inactivity",
            "generate-weekly-report",
        ]
        let expected =
            [
                "Deployment/seedtest-pipelines", "Service/seedtest-pipelines", "PodDisruptionBudget/seedtest-pipelines",
                "ConfigMap/seedtest-pipelines-trigger", "ConfigMap/seedtest-pipelines-dashboard",
                "NetworkPolicy/seedtest-pipelines", "NetworkPolicy/seedtest-pipelines-trigger",
                "ServiceMonitor/seedtest-pipelines", "PrometheusRule/seedtest-pipelines",
            ] + stages.map { "CronJob/seedtest-pipelines-\($0)" }
        #expect(resources.sorted() == expected.sorted())
        // The Secret is created out of band, never applied from git.
        #expect(!resources.contains { $0.hasPrefix("Secret/") })
    }

    @Test func checkovPassesWithDocumentedSkipsOnly() throws {
        let result = try runTool(
            "python3",
            ["-m", "checkov.main", "--directory", DeployFiles.directory.path, "--skip-download", "--compact"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Failed checks: 0") && !result.output.contains("FAILED for resource"))
        // Every skip says why.
        for name in try FileManager.default.contentsOfDirectory(atPath: DeployFiles.directory.path)
        where name.hasSuffix(".yaml") {
            for document in try DeployFiles.documents(atPath: DeployFiles.path(name)) {
                for (key, value) in document["metadata"]?["annotations"]?.objectValue?.members ?? []
                where key.hasPrefix("checkov.io/skip") {
                    let parts = (value.stringValue ?? "").split(separator: "=", maxSplits: 1)
                    #expect(parts.count == 2 && parts[1].count > 20, "\(name): \(key) gives no reason")
                }
            }
        }
    }

    @Test func serviceMonitorScrapesTheServicePortWithTheReadToken() throws {
        let monitor = try DeployFiles.document("servicemonitor.yaml")
        let service = try DeployFiles.document("service.yaml")
        let secret = try DeployFiles.document("secret.example.yaml")
        #expect(monitor["apiVersion"] == "monitoring.coreos.com/v1" && monitor["kind"] == "ServiceMonitor")
        // It selects the Service (whose name becomes the job label the alerts use), on a port the Service has.
        let selector = try #require(monitor["spec"]?["selector"]?["matchLabels"]?.objectValue)
        let labels = try #require(service["metadata"]?["labels"]?.objectValue)
        for key in selector.keys { #expect(labels[key] == selector[key], "\(key)") }
        #expect(service["metadata"]?["name"] == "seedtest-pipelines")
        let endpoints = try #require(monitor["spec"]?["endpoints"]?.arrayValue)
        #expect(endpoints.count == 1)
        let endpoint = try #require(endpoints.first)
        let ports = service["spec"]?["ports"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(ports.contains(try #require(endpoint["port"]?.stringValue)))
        #expect(endpoint["path"] == "/metrics" && endpoint["interval"] == "30s")
        // The read token, from the Secret every other manifest reads.
        let credentials = try #require(endpoint["authorization"]?["credentials"])
        #expect(endpoint["authorization"]?["type"] == "Bearer")
        #expect(credentials["name"] == secret["metadata"]?["name"])
        #expect(credentials["key"] == "PIPELINES_READ_TOKEN")
        #expect(secret["stringData"]?["PIPELINES_READ_TOKEN"] != nil)
    }

    @Test func dashboardIsJSONForTheSidecarQueryingExposedSeries() throws {
        let map = try DeployFiles.document("grafana-dashboard.yaml")
        #expect(map["kind"] == "ConfigMap" && map["metadata"]?["labels"]?["grafana_dashboard"] == "1")
        let files = try #require(map["data"]?.objectValue)
        #expect(files.count == 1)
        let text = try #require(files.members.first?.value.stringValue)
        let dashboard = try JSONParser.parse(Array(text.utf8))
        #expect(dashboard["uid"] == "seedtest-pipelines")
        let panels = try #require(dashboard["panels"]?.arrayValue).filter { $0["type"] != "row" }
        var titles: [String] = []
        var names: Set<String> = []
        for panel in panels {
            titles.append(panel["title"]?.stringValue ?? "")
            let targets = panel["targets"]?.arrayValue ?? []
            #expect(!targets.isEmpty, "\(panel["title"]?.stringValue ?? "?") has no query")
            for target in targets { names.formUnion(DeployFiles.seedtestNames(in: target["expr"]?.stringValue ?? "")) }
        }
        let unknown = names.filter { !DeployFiles.isExposed($0) }
        #expect(unknown.isEmpty, "the dashboard queries series the service does not expose: \(unknown.sorted())")
        // What an operator asks, each answered by a panel.
        for question in [
            "Request rate by route", "Latency p50 by route", "Latency p99 by route", "Runs per stage",
            "Run duration per stage", "Time since last success", "Attempts ingested", "Pool use",
        ] {
            #expect(titles.contains { $0.hasPrefix(question) }, "no panel for \(question)")
        }
        for name in [
            "seedtest_http_request_duration_seconds_bucket", "seedtest_runs_total", "seedtest_run_duration_seconds_sum",
            "seedtest_stage_last_success_timestamp_seconds", "seedtest_ingest_attempts_total",
            "seedtest_db_pool_in_use",
        ] {
            #expect(names.contains(name), "the dashboard does not show \(name)")
        }
    }
}
