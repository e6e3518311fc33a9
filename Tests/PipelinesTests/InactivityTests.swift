import Foundation
import JSON
import Pipelines
import Storage
import Synchronization
import TestSupport
import Testing

/// detect-inactivity with a recording webhook (the libcurl client has its own tests against real servers).
@Suite(.ownThreads) struct InactivityTests {
    final class RecordingWebhook: WebhookSending {
        let documents = Mutex<[JSONValue]>([])
        let deliver: Bool

        init(deliver: Bool) { self.deliver = deliver }

        func send(_ document: JSONValue) -> WebhookOutcome {
            documents.withLock { $0.append(document) }
            return WebhookOutcome(delivered: deliver, attempts: deliver ? 1 : 3, reason: deliver ? nil : "HTTP 500")
        }

        var notifiedUsers: [String] {
            documents.withLock { $0 }.flatMap { $0["learners"]?.arrayValue ?? [] }.compactMap {
                $0["user_id"]?.stringValue
            }
        }
    }

    static func data() -> [Storage.AttemptRecord] {
        [
            Attempts.make("active", "q1", "2026-11-24T10:00:00Z", correct: true),
            Attempts.make("inactive", "q1", "2026-11-10T10:00:00Z", correct: true),
            Attempts.make("inactive", "q2", "2026-11-01T10:00:00Z", correct: false),
            Attempts.make("dormant", "q1", "2026-06-01T10:00:00Z", correct: true),
        ]
    }

    func statuses(_ harness: Harness) throws -> [String: String] {
        try harness.database.pool.withConnection { connection in
            var result: [String: String] = [:]
            for row in try connection.query("SELECT user_id, status, days_inactive FROM learner_activity").rows {
                result[try row.decode(0)] = "\(try row.decode(1, as: String.self)) \(try row.decode(2, as: Int.self))"
            }
            return result
        }
    }

    @Test func classifiesNotifiesOncePerSpellAndMergesPAndS() throws {
        let webhook = RecordingWebhook(deliver: true)
        let harness = try Harness(services: StageServices(inactivityWebhook: webhook))
        try Attempts.insert(Self.data(), into: harness.database)
        try harness.execute(
            """
            INSERT INTO weekly_kpi (user_id, week_start, kpis, as_of) VALUES ('inactive', '2026-11-23', '{"I_t": 0.25}', '2026-11-23')
            """)
        let first = try harness.run(.detectInactivity)
        #expect(first.status == .succeeded)
        #expect(try statuses(harness) == ["active": "active 2", "inactive": "inactive 16", "dormant": "dormant 178"])
        #expect(first.counts["newly_inactive"] == 1)
        #expect(first.counts["notified"] == 1)
        #expect(webhook.notifiedUsers == ["inactive"])
        let kpis = try #require(try harness.kpis("inactive", week: "2026-11-23"))
        #expect(kpis["I_t"] == 0.25, "keys of other stages survive")
        // S: d = 16 days → 0.6; two sessions 9 days apart → 0.25 · 1; 0.15 · 0.8 → 0.97
        #expect(abs(kpis.double("S")! - 0.97) < 1e-9)
        #expect(kpis["P"] == .null)
        #expect(try harness.kpis("dormant", week: "2026-11-23") == nil, "beyond max_days")
        // The same spell is not notified again.
        let second = try harness.run(.detectInactivity)
        #expect(second.counts["newly_inactive"] == 0)
        #expect(webhook.notifiedUsers == ["inactive"])
        // Answering again ends the spell; a new spell is notified again.
        try Attempts.insert(
            [Attempts.make("inactive", "q3", "2026-11-25T10:00:00Z", correct: true)], into: harness.database)
        _ = try harness.run(.detectInactivity)
        #expect(try statuses(harness)["inactive"] == "active 1")
        _ = try harness.run(.detectInactivity, today: "2026-12-10")
        #expect(webhook.notifiedUsers == ["inactive", "active", "inactive"])
    }

    @Test func webhookFailuresAreCountedAndDetectionKept() throws {
        let webhook = RecordingWebhook(deliver: false)
        let harness = try Harness(services: StageServices(inactivityWebhook: webhook))
        try Attempts.insert(Self.data(), into: harness.database)
        let record = try harness.run(.detectInactivity)
        #expect(record.status == .succeeded)
        #expect(record.counts["webhook_failures"] == 1)
        #expect(record.counts["notified"] == 0)
        #expect(try statuses(harness)["inactive"] == "inactive 16")
        // Not marked notified, so the next run tries again.
        #expect(try harness.run(.detectInactivity).counts["newly_inactive"] == 1)
    }

    @Test func dryRunSendsNothingAndWritesNothing() throws {
        let webhook = RecordingWebhook(deliver: true)
        let harness = try Harness(services: StageServices(inactivityWebhook: webhook))
        try Attempts.insert(Self.data(), into: harness.database)
        let record = try harness.run(.detectInactivity, ["dry_run": true])
        #expect(record.counts["newly_inactive"] == 1)
        #expect(record.counts["webhook_skipped"] == 1)
        #expect(webhook.notifiedUsers.isEmpty)
        #expect(try harness.count("learner_activity") == 0)
        #expect(try harness.count("weekly_kpi") == 0)
    }
}
