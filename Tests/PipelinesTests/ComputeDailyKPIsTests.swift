import JSON
import Pipelines
import Storage
import TestSupport
import Testing

/// compute-daily-kpis through the runner on a real database.
@Suite(.ownThreads) struct ComputeDailyKPIsTests {
    @Test func workedExampleEndToEnd() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let record = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        #expect(record.status == .succeeded)
        #expect(record.counts["learners"] == 1)
        let kpis = try #require(try harness.kpis("golden_u2", week: "2026-11-23"))
        #expect(abs(kpis.double("I_t")! - (-0.0166667)) < 1e-6)
        #expect(abs(kpis.double("E_t")! - 0.4545455) < 1e-6)
        #expect(kpis.double("R_t") == 0.5)
        #expect(abs(kpis.double("A_t")! - 0.2205556) < 1e-6)
        #expect(kpis["P"] == .null)
        #expect(abs(kpis.double("S")! - 0.5264286) < 1e-6)
    }

    @Test func sessionIDsGroupAnswersAcrossDays() throws {
        let harness = try Harness()
        // Same worked example, but the three answers of 20 October form one session id, and an answer at 23:59 and
        // one at 00:01 the next day share a session: A_t and S count sessions, not days.
        var attempts = Attempts.goldenExample(user: "s1").map { attempt -> AttemptRecordCopy in
            AttemptRecordCopy(attempt)
        }
        attempts = attempts.map { $0.with(session: "day-\($0.record.answeredAt.day.iso)") }
        try Attempts.insert(attempts.map(\.record), into: harness.database)
        try Attempts.insert(
            [
                Attempts.make("s1", "q300", "2026-11-27T23:59:00Z", correct: true, timeMs: 1000, session: "late"),
                Attempts.make("s1", "q301", "2026-11-28T00:01:00Z", correct: true, timeMs: 1000, session: "late"),
            ], into: harness.database)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        let kpis = try #require(try harness.kpis("s1", week: "2026-11-23"))
        // Engagement: sessions 11-10, 11-25, 11-27 (late) → 3 sessions; starts 11-10 12:00 … 11-27 23:59.
        let gap = (17.0 + 11.0 / 24 + 59.0 / 1440) / 2
        let duration = (70_000.0 + 40_000 + 2000) / 3 / 1000 / 900
        let hints = 1 - (0.5) / 3
        let expected = 0.35 * 3 / 28 + 0.25 * (1 / gap) + 0.20 * hints + 0.20 * duration
        #expect(abs(kpis.double("A_t")! - expected) < 1e-9)
    }

    @Test func windowEdgesAtMidnight() throws {
        let harness = try Harness()
        // as_of 2026-11-29: the recent 14 days start 2026-11-16T00:00:00.000; the run day ends 23:59:59.999.
        try Attempts.insert(
            [
                Attempts.make("edge", "a", "2026-11-16T00:00:00.000Z", correct: true),
                Attempts.make("edge", "b", "2026-11-29T23:59:59.999Z", correct: true),
                Attempts.make("edge", "c", "2026-11-15T23:59:59.999Z", correct: false),
                Attempts.make("edge", "d", "2026-11-02T00:00:00.000Z", correct: false),
                Attempts.make("edge", "e", "2026-11-01T23:59:59.999Z", correct: true),
            ], into: harness.database)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        let kpis = try #require(try harness.kpis("edge", week: "2026-11-23"))
        // Recent: a, b (2/2). Previous 14 (11-02 … 11-15): c, d (0/2). e is outside both.
        // I_t = (1 − 0) · 2/30 · (1 − min(0.5, 0)) = 0.0666667
        #expect(abs(kpis.double("I_t")! - 2.0 / 30) < 1e-9)
        // The run for the day before does not see b (a future day for it).
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-22", "lookback_days": 30])
        let earlier = try #require(try harness.kpis("edge", week: "2026-11-16"))
        // Recent for 11-22: 11-09 … 11-22 → a, c (1/2); previous 10-26 … 11-08: d, e (1/2) → I_t = 0.
        #expect(earlier.double("I_t") == 0)
    }

    @Test func nonASCIIIdsAndUserFilter() throws {
        let harness = try Harness()
        let learners = ["学习者-1", "Ωmega user", "emoji🙂"]
        for learner in learners {
            try Attempts.insert(Attempts.goldenExample(user: learner), into: harness.database)
        }
        let record = try harness.run(.computeDailyKPIs, ["date": "2026-11-29", "user_ids": ["学习者-1", "emoji🙂"]])
        #expect(record.counts["learners"] == 2)
        #expect(try harness.kpis("学习者-1", week: "2026-11-23")?.double("R_t") == 0.5)
        #expect(try harness.kpis("emoji🙂", week: "2026-11-23") != nil)
        #expect(try harness.kpis("Ωmega user", week: "2026-11-23") == nil)
    }

    @Test func mergeKeepsKeysWrittenByOthers() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        try harness.execute(
            """
            INSERT INTO weekly_kpi (user_id, week_start, kpis, as_of)
            VALUES ('golden_u2', '2026-11-23', '{"custom_score": 7, "S": 0.99}', '2026-11-24')
            """)
        _ = try harness.run(.computeDailyKPIs, ["date": "2026-11-29"])
        let kpis = try #require(try harness.kpis("golden_u2", week: "2026-11-23"))
        #expect(kpis["custom_score"] == 7)
        #expect(abs(kpis.double("S")! - 0.5264286) < 1e-6, "the stage's own keys are replaced")
        #expect(kpis.keys.count == 7)
    }

    @Test func dryRunWritesOnlyTheRunRecord() throws {
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample(), into: harness.database)
        let record = try harness.run(.computeDailyKPIs, ["date": "2026-11-29", "dry_run": true])
        #expect(record.status == .succeeded)
        #expect(record.dryRun)
        #expect(record.counts["learners"] == 1)
        #expect(try harness.count("weekly_kpi") == 0)
        #expect(try harness.count("pipeline_runs") == 1)
    }
}

/// A mutable copy of an attempt for building variants.
struct AttemptRecordCopy {
    var record: Storage.AttemptRecord

    init(_ record: Storage.AttemptRecord) { self.record = record }

    func with(session: String) -> AttemptRecordCopy {
        var copy = self
        copy.record.sessionID = session
        return copy
    }
}
