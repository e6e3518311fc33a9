import Foundation
import JSON
import TestSupport
import Testing

/// deploy/prometheusrule.yaml through Debian's promtool: its groups (extracted by scripts/extract-rules.py, as a
/// person would) pass `promtool check rules`, and the unit tests in deploy/tests/alerts.test.yaml, which show every
/// alert firing on synthetic series and resolving again, pass `promtool test rules`. Every alert carries a severity,
/// a summary, a description and a runbook link to a paragraph of deploy/README.md, and queries only series the
/// service exposes.
@Suite(.ownThreads) struct PrometheusRuleTests {
    /// A temporary directory holding `seedtest-rules.yaml` (the groups) and a copy of `alerts.test.yaml` beside it.
    static func rulesDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rules = try python([
            DeployFiles.root.appendingPathComponent("scripts/extract-rules.py").path,
            DeployFiles.path("prometheusrule.yaml"),
        ])
        try Data(rules.utf8).write(to: directory.appendingPathComponent("seedtest-rules.yaml"))
        try FileManager.default.copyItem(
            atPath: DeployFiles.path("tests/alerts.test.yaml"),
            toPath: directory.appendingPathComponent("alerts.test.yaml").path)
        return directory
    }

    static func alerts() throws -> [JSONValue] {
        let rule = try DeployFiles.document("prometheusrule.yaml")
        let groups = rule["spec"]?["groups"]?.arrayValue ?? []
        return groups.flatMap { $0["rules"]?.arrayValue ?? [] }.filter { $0["alert"] != nil }
    }

    static let expectedAlerts = [
        "SeedtestStageLate", "SeedtestRunFailed", "SeedtestHighErrorRate", "SeedtestIngestRejectionSpike",
        "SeedtestDatabaseAcquireTimeouts", "SeedtestReplicaDown",
    ]

    @Test func promtoolChecksTheRules() throws {
        let directory = try Self.rulesDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runTool("promtool", ["check", "rules", "seedtest-rules.yaml"], directory: directory.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS: \(Self.expectedAlerts.count) rules found"), "\(result.output)")
    }

    @Test func everyAlertFiresAndResolvesInPromtoolUnitTests() throws {
        let directory = try Self.rulesDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try runTool("promtool", ["test", "rules", "alerts.test.yaml"], directory: directory.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SUCCESS"), "\(result.output)")
        // Each alert has a case where it fires, and a later one of the same test where it no longer does.
        let tests = try DeployFiles.document("tests/alerts.test.yaml")["tests"]?.arrayValue ?? []
        for alert in Self.expectedAlerts {
            let resolves = tests.contains { test in
                let cases = (test["alert_rule_test"]?.arrayValue ?? []).filter { $0["alertname"]?.stringValue == alert }
                let firing = cases.filter { !($0["exp_alerts"]?.arrayValue ?? []).isEmpty }.compactMap(Self.time)
                let quiet = cases.filter { ($0["exp_alerts"]?.arrayValue ?? []).isEmpty }.compactMap(Self.time)
                guard let first = firing.min() else { return false }
                return quiet.contains { $0 < first } && quiet.contains { $0 > first }
            }
            #expect(resolves, "no promtool test shows \(alert) quiet, firing, then resolved")
        }
    }

    @Test func everyAlertIsDocumentedAndQueriesExposedSeries() throws {
        let alerts = try Self.alerts()
        #expect(alerts.compactMap { $0["alert"]?.stringValue } == Self.expectedAlerts)
        let readme = try String(contentsOfFile: DeployFiles.path("README.md"), encoding: .utf8)
        let anchors = Set(
            readme.split(separator: "\n").filter { $0.hasPrefix("#") }.map { line in
                line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
                    .filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            })
        for alert in alerts {
            let name = alert["alert"]?.stringValue ?? "?"
            #expect(["critical", "warning"].contains(alert["labels"]?["severity"]?.stringValue ?? ""), "\(name)")
            #expect((alert["annotations"]?["summary"]?.stringValue ?? "").count > 10, "\(name) has no summary")
            #expect((alert["annotations"]?["description"]?.stringValue ?? "").count > 40, "\(name) has no description")
            let runbook = alert["annotations"]?["runbook_url"]?.stringValue ?? ""
            let anchor = runbook.split(separator: "#").last.map(String.init) ?? ""
            #expect(runbook.contains("/deploy/README.md#") && anchor == name.lowercased(), "\(name): \(runbook)")
            #expect(anchors.contains(anchor), "deploy/README.md has no heading for \(name)")
            let names = DeployFiles.seedtestNames(in: alert["expr"]?.stringValue ?? "")
            #expect(names.allSatisfy(DeployFiles.isExposed), "\(name) queries \(names.sorted())")
        }
    }

    /// A promtool duration such as `27h20m` or `8d2h` in seconds (nil if it is not one).
    static func time(_ testCase: JSONValue) -> Int? {
        guard let text = testCase["eval_time"]?.stringValue else { return nil }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        var total = 0
        var number = 0
        for character in text {
            if let digit = character.wholeNumberValue {
                number = number * 10 + digit
            } else if let unit = units[character] {
                total += number * unit
                number = 0
            } else {
                return nil
            }
        }
        return number == 0 ? total : nil
    }
}
