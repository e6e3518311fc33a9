import Foundation
import OutboundHTTP
import Pipelines
import TestSupport
import Testing

@testable import Service

/// A webhook URL without a secret to sign with is refused at start-up, in one line, by the configuration and by the
/// executable; with both set, the stages' webhook signs.
@Suite(.ownThreads) struct WebhookSecretTests {
    static let url = "https://hooks.example.com/seedtest/inactivity"

    @Test func urlWithoutSecretIsRefused() throws {
        let configuration = try ServiceConfiguration.resolve(environment: ["INACTIVITY_WEBHOOK_URL": Self.url])
        do {
            try configuration.validate()
            Issue.record("a webhook URL without a secret must be refused")
        } catch {
            #expect(error.description.hasPrefix("INACTIVITY_WEBHOOK_URL is set without INACTIVITY_WEBHOOK_SECRET"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func shortSecretIsRefused() {
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.resolve(environment: [
                "INACTIVITY_WEBHOOK_URL": Self.url, "INACTIVITY_WEBHOOK_SECRET": "too-short",
            ])
        }
        var configuration = ServiceConfiguration()
        configuration.inactivityWebhookURL = Self.url
        configuration.inactivityWebhookSecret = "too-short"
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test func urlWithSecretSigns() throws {
        let configuration = try ServiceConfiguration.resolve(environment: [
            "INACTIVITY_WEBHOOK_URL": Self.url, "INACTIVITY_WEBHOOK_SECRET": "0123456789abcdef",
        ])
        try configuration.validate()
        let services = StageServices.configured(configuration, logger: TestServer.quietLogger)
        let webhook = try #require(services.inactivityWebhook as? WebhookClient)
        #expect(webhook.configuration.secret == "0123456789abcdef")
        #expect(!webhook.configuration.description.contains("0123456789abcdef"))
    }

    /// The executable (`serve`, and `run`, which posts too) stops before touching the database: exit status 2 and one
    /// line on standard error.
    @Test(arguments: [
        ["serve", "--database-url", "postgresql://127.0.0.1:1/none", "--port", "0"],
        ["run", "detect-inactivity", "--database-url", "postgresql://127.0.0.1:1/none"],
    ])
    func executableRefusesToStart(arguments: [String]) throws {
        let service = try ServiceProcess.launch(arguments, environment: ["INACTIVITY_WEBHOOK_URL": Self.url])
        defer { service.stop() }
        let status = service.waitForExit(seconds: 20)
        #expect(status == 2)
        let lines = service.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(
            lines.first?.hasPrefix(
                "seedtest-pipelines: invalid configuration: INACTIVITY_WEBHOOK_URL is set without "
                    + "INACTIVITY_WEBHOOK_SECRET") == true)
    }
}
