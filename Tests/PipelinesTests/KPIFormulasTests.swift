import Pipelines
import Testing
import UTCTime

/// The KPI formulas of SPEC §4 on hand-built aggregates.
@Suite struct KPIFormulasTests {
    static let asOf = Day(iso: "2026-11-29")!

    static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    /// The worked example's aggregates, computed by hand from its attempts.
    static var golden: LearnerAggregates {
        var input = LearnerAggregates()
        input.recentAttempts = 2
        input.recentCorrect = 1
        input.previousAttempts = 2
        input.previousCorrect = 2
        input.recentMedianTime = 30_000
        input.previousMedianTime = 55_000
        input.recoveryAttempts = 2
        input.recoveryCorrect = 1
        input.engagement = SessionSummary(
            count: 2, firstStart: at("2026-11-10T12:00:00Z"), lastStart: at("2026-11-25T12:00:00Z"), timedSessions: 2,
            totalDurationMs: 110_000)
        input.meanHints = 0.5
        input.churn = SessionSummary(
            count: 3, firstStart: at("2026-10-20T12:00:00Z"), lastStart: at("2026-11-25T12:00:00Z"))
        input.lastAnswer = at("2026-11-25T12:00:00Z")
        return input
    }

    @Test func workedExample() throws {
        let values = KPIFormulas.all(Self.golden, asOf: Self.asOf)
        #expect(abs(values.improvement! - (-0.0166667)) < 1e-6)
        #expect(abs(values.timeEfficiency! - 0.4545455) < 1e-6)
        #expect(values.recovery == 0.5)
        #expect(abs(values.engagement! - 0.2205556) < 1e-6)
        #expect(values.goalProbability == nil)
        #expect(abs(values.churnRisk! - 0.5264286) < 1e-6)
    }

    @Test func improvementNullRulesAndModes() {
        var input = Self.golden
        input.previousAttempts = 0
        #expect(KPIFormulas.improvement(input) == nil, "accuracy mode needs the previous window")
        input = Self.golden
        input.recentAttempts = 0
        input.recentCorrect = 0
        #expect(KPIFormulas.improvement(input) == nil, "accuracy mode needs the recent window")
        // θ mode needs abilities in both windows and n_r ≥ 5.
        input = Self.golden
        input.recentAbility = AbilityEstimateRow(theta: 0.8, se: 0.1, asOf: Day(iso: "2026-11-28")!)
        input.previousAbility = AbilityEstimateRow(theta: 0.3, se: 0.2, asOf: Day(iso: "2026-11-14")!)
        #expect(abs(KPIFormulas.improvement(input)! - (-0.0166667)) < 1e-6, "n_r = 2 stays in accuracy mode")
        input.recentAttempts = 15
        input.recentCorrect = 10
        // (0.8 − 0.3) · 15/30 · (1 − min(0.5, 0.196)) = 0.201
        #expect(abs(KPIFormulas.improvement(input)! - 0.201) < 1e-9)
        input.recentAttempts = 60
        input.recentAbility = AbilityEstimateRow(theta: 4, se: 0.05, asOf: Day(iso: "2026-11-28")!)
        #expect(KPIFormulas.improvement(input) == 1, "clamped to 1")
        input.previousAbility = nil
        #expect(KPIFormulas.improvement(input) != nil, "falls back to accuracy mode")
    }

    @Test func timeEfficiencyNullRulesAndClamp() {
        var input = Self.golden
        input.recentMedianTime = nil
        #expect(KPIFormulas.timeEfficiency(input) == nil)
        input = Self.golden
        input.previousMedianTime = nil
        #expect(KPIFormulas.timeEfficiency(input) == nil)
        input.previousMedianTime = 0
        #expect(KPIFormulas.timeEfficiency(input) == nil, "m_p ≤ 0 is null")
        input.previousMedianTime = 10_000
        #expect(KPIFormulas.timeEfficiency(input) == 0, "slower is clamped to 0, not negative")
    }

    @Test func recoveryNullWithoutEarlierMistakes() {
        var input = Self.golden
        input.recoveryAttempts = 0
        input.recoveryCorrect = 0
        #expect(KPIFormulas.recovery(input) == nil)
    }

    @Test func engagementRules() {
        var input = LearnerAggregates()
        #expect(KPIFormulas.engagement(input) == nil, "null without attempts")
        // One session, no hints, no times: s = 1/28, g = 0.5, h = 0.5, d = 0.5.
        input.engagement = SessionSummary(
            count: 1, firstStart: Self.at("2026-11-20T10:00:00Z"),
            lastStart: Self.at("2026-11-20T10:00:00Z"))
        let single = 0.35 / 28 + 0.25 * 0.5 + 0.20 * 0.5 + 0.20 * 0.5
        #expect(abs(KPIFormulas.engagement(input)! - single) < 1e-12)
        // Two sessions at the same instant: ḡ = 0 gives g = 1.
        input.engagement = SessionSummary(
            count: 2, firstStart: Self.at("2026-11-20T10:00:00Z"),
            lastStart: Self.at("2026-11-20T10:00:00Z"))
        let sameStart = 0.35 * 2 / 28 + 0.25 + 0.20 * 0.5 + 0.20 * 0.5
        #expect(abs(KPIFormulas.engagement(input)! - sameStart) < 1e-12)
        input.meanHints = 6
        input.engagement.timedSessions = 2
        input.engagement.totalDurationMs = 4_000_000
        let clamped = 0.35 * 2 / 28 + 0.25 + 0 + 0.20
        #expect(abs(KPIFormulas.engagement(input)! - clamped) < 1e-12, "h and d are clamped")
    }

    @Test func goalProbability() {
        var input = LearnerAggregates()
        #expect(KPIFormulas.goalProbability(input) == nil)
        input.latestAbility = AbilityEstimateRow(theta: 0, se: 0, asOf: Day(iso: "2026-11-20")!)
        #expect(KPIFormulas.goalProbability(input) == nil, "se ≤ 0 is null")
        input.latestAbility = AbilityEstimateRow(theta: 0, se: 0.5, asOf: Day(iso: "2026-11-20")!)
        #expect(abs(KPIFormulas.goalProbability(input)! - 0.5) < 1e-12, "default target 0")
        input.targetTheta = 0.98
        // 1 − Φ(0.98/0.5) = 1 − Φ(1.96) ≈ 0.0249979
        #expect(abs(KPIFormulas.goalProbability(input)! - 0.0249979) < 1e-6)
    }

    @Test func churnRisk() {
        var input = LearnerAggregates()
        #expect(KPIFormulas.churnRisk(input, asOf: Self.asOf) == nil)
        input.lastAnswer = Self.at("2026-11-29T23:59:59.999Z")
        input.churn = SessionSummary(count: 1, firstStart: input.lastAnswer, lastStart: input.lastAnswer)
        // d = 0, ḡ = 0 with one session: S = 0.15 · 0.9
        #expect(abs(KPIFormulas.churnRisk(input, asOf: Self.asOf)! - 0.135) < 1e-12)
        input.lastAnswer = Self.at("2026-10-05T00:00:00Z")
        #expect(abs(KPIFormulas.churnRisk(input, asOf: Self.asOf)! - (0.6 + 0.135)) < 1e-12, "d/H clamped to 1")
    }
}
