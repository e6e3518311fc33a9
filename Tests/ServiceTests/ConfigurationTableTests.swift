import Foundation
import Testing

@testable import Service

/// The settings table: flags and the environment are checked alike, defaults are the code's, and the README's
/// configuration table lists exactly these settings.
@Suite struct ConfigurationTableTests {
    @Test func flagsAndEnvironmentShareEveryRange() throws {
        for setting in ServiceConfiguration.settings {
            let outside: String
            switch setting.values {
            case .integer(let range): outside = String(range.upperBound + 1)
            case .number(let range): outside = String(range.upperBound * 2 + 1)
            case .secret(let minimumLength): outside = String(repeating: "x", count: minimumLength - 1)
            case .url: outside = "ftp://example.com"
            case .logLevel: outside = "loud"
            case .text, .onOff: continue
            }
            if let variable = setting.environment {
                do {
                    _ = try ServiceConfiguration.resolve(environment: [variable: outside])
                    Issue.record("\(variable)=\(outside) must be refused")
                } catch {
                    #expect(error.description.hasPrefix("\(variable) must"), "\(error)")
                }
            }
            if let flag = setting.flag {
                do {
                    _ = try ServiceConfiguration.resolve(environment: [:], flags: [flag: outside])
                    Issue.record("--\(flag) \(outside) must be refused")
                } catch {
                    #expect(error.description.hasPrefix("--\(flag) must"), "\(error)")
                }
            }
        }
    }

    @Test func flagsOverrideTheEnvironmentAndBoundsAreInclusive() throws {
        let configuration = try ServiceConfiguration.resolve(
            environment: ["DB_POOL_SIZE": "512", "MAX_BODY_BYTES": "1024", "PORT": "9090"],
            flags: ["port": "0", "grace-period": "0", "no-access-log": "on"])
        #expect(configuration.databasePoolSize == 512)
        #expect(configuration.http.defaultBodyLimit == 1024)
        #expect(configuration.http.port == 0)
        #expect(configuration.http.gracePeriod == 0)
        #expect(configuration.noAccessLog)
        for (flag, value) in [("db-pool-size", "0"), ("db-pool-size", "513"), ("max-body-bytes", "1073741825")] {
            #expect(throws: ConfigurationError.self, "--\(flag) \(value)") {
                try ServiceConfiguration.resolve(environment: [:], flags: [flag: value])
            }
        }
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.resolve(environment: [:], flags: ["no-such-flag": "1"])
        }
    }

    @Test func documentedDefaultsAreTheCodes() throws {
        let resolved = try ServiceConfiguration.resolve(environment: [:])
        for setting in ServiceConfiguration.settings where setting.flag != "event-loops" {
            #expect(setting.current(resolved) == setting.defaultValue, "\(setting.flag ?? setting.environment ?? "")")
        }
        #expect(resolved.http.eventLoops == max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        #expect(resolved.objectStorage == nil)
    }

    @Test func readmeListsEverySetting() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = text.components(separatedBy: "\n## Configuration\n").dropFirst().first ?? ""
        let body = section.components(separatedBy: "\n## ").first ?? ""
        let rows = body.split(separator: "\n").filter { $0.hasPrefix("| `") || $0.hasPrefix("| |") }.map(String.init)
        let expected = ServiceConfiguration.settings.map(Self.row)
        #expect(rows == expected, "README configuration table should be:\n\(expected.joined(separator: "\n"))")
    }

    /// A setting as a row of the README's table: flag, variable, default, accepted values, meaning.
    static func row(_ setting: Setting) -> String {
        let cells = [
            setting.flag.map { "`--\($0)`" } ?? "", setting.environment.map { "`\($0)`" } ?? "",
            setting.defaultValue, setting.range, setting.meaning,
        ]
        return "| " + cells.map { $0.isEmpty ? "" : $0 + " " }.joined(separator: "| ") + "|"
    }
}
