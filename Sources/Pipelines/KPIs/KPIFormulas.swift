import Glibc
import UTCTime

/// The KPI formulas of SPEC §4, from per-learner aggregates. A KPI is nil when its inputs are missing, never a
/// made-up number. Every constant of the formulas is here.
public enum KPIFormulas {
    /// The goal when a learner has no row in `learner_goals`.
    public static let defaultTargetTheta = 0.0
    /// Churn horizon `H` in days.
    public static let churnHorizonDays = 14.0
    /// Attempts in the recent window needed before θ mode is used for improvement.
    public static let thetaModeMinimumAttempts = 5

    public static func all(_ input: LearnerAggregates, asOf: Day) -> KPIValues {
        KPIValues(
            improvement: improvement(input), timeEfficiency: timeEfficiency(input), recovery: recovery(input),
            engagement: engagement(input), goalProbability: goalProbability(input),
            churnRisk: churnRisk(input, asOf: asOf))
    }

    /// `I_t`: change between the recent 14 days and the 14 before, weighted by exposure `min(1, n_r/30)` and damped by
    /// the uncertainty of the recent estimate. θ mode when both windows have a fitted ability and `n_r ≥ 5`,
    /// otherwise accuracy mode (nil when either window has no attempts).
    public static func improvement(_ input: LearnerAggregates) -> Double? {
        let attempts = input.recentAttempts
        let exposure = min(1, Double(attempts) / 30)
        if let recent = input.recentAbility, let previous = input.previousAbility,
            attempts >= thetaModeMinimumAttempts
        {
            let damping = 1 - min(0.5, 1.96 * recent.se)
            return clampSigned((recent.theta - previous.theta) * exposure * damping)
        }
        guard attempts > 0, input.previousAttempts > 0 else { return nil }
        let recentShare = Double(input.recentCorrect) / Double(attempts)
        let previousShare = Double(input.previousCorrect) / Double(input.previousAttempts)
        let standardError = (recentShare * (1 - recentShare) / Double(attempts)).squareRoot()
        let damping = 1 - min(0.5, 1.96 * standardError)
        return clampSigned((recentShare - previousShare) * exposure * damping)
    }

    /// `E_t`: how much faster correct answers got, `(m_p − m_r) / m_p` clamped to [0, 1]; nil without both medians
    /// or when `m_p ≤ 0`.
    public static func timeEfficiency(_ input: LearnerAggregates) -> Double? {
        guard let recent = input.recentMedianTime, let previous = input.previousMedianTime, previous > 0 else {
            return nil
        }
        return clamp((previous - recent) / previous)
    }

    /// `R_t`: the share correct among recent attempts on keys answered wrongly before; nil when there are none.
    public static func recovery(_ input: LearnerAggregates) -> Double? {
        guard input.recoveryAttempts > 0 else { return nil }
        return Double(input.recoveryCorrect) / Double(input.recoveryAttempts)
    }

    /// `A_t = clamp(0.35·s + 0.25·g + 0.20·h + 0.20·d)` over `W(as_of, 28)`; nil without attempts there.
    /// s = sessions/28; g = 1/ḡ (1 when ḡ = 0, 0.5 with fewer than two sessions); h = 1 − mean hints/3 (0.5 without
    /// hint counts); d = mean session duration in seconds / 900 over sessions with response times (0.5 without).
    public static func engagement(_ input: LearnerAggregates) -> Double? {
        let sessions = input.engagement
        guard sessions.count > 0 else { return nil }
        let s = clamp(Double(sessions.count) / 28)
        let g: Double
        if let gap = sessions.meanGapDays {
            g = gap == 0 ? 1 : clamp(1 / gap)
        } else {
            g = 0.5
        }
        let h = input.meanHints.map { clamp(1 - $0 / 3) } ?? 0.5
        let d =
            sessions.timedSessions > 0
            ? clamp(sessions.totalDurationMs / Double(sessions.timedSessions) / 1000 / 900) : 0.5
        return clamp(0.35 * s + 0.25 * g + 0.20 * h + 0.20 * d)
    }

    /// `P = 1 − Φ((target − θ)/se)` from the latest ability fitted before the end of `as_of`; nil without one or
    /// when `se ≤ 0`.
    public static func goalProbability(_ input: LearnerAggregates) -> Double? {
        guard let ability = input.latestAbility, ability.se > 0, ability.se.isFinite, ability.theta.isFinite else {
            return nil
        }
        let target = input.targetTheta ?? defaultTargetTheta
        return clamp(1 - normalCDF((target - ability.theta) / ability.se))
    }

    /// `S = clamp(0.6·clamp(d/H) + 0.25·clamp(ḡ/7) + 0.15·clamp(1 − sessions/10))` over `W(as_of, 56)`, d the whole
    /// days from the last answer's day to `as_of`, ḡ the mean gap between session starts (0 with one session); nil
    /// without attempts there.
    public static func churnRisk(_ input: LearnerAggregates, asOf: Day) -> Double? {
        guard let lastAnswer = input.lastAnswer, input.churn.count > 0 else { return nil }
        let daysSince = Double(lastAnswer.day.distance(to: asOf))
        let gap = input.churn.meanGapDays ?? 0
        return clamp(
            0.6 * clamp(daysSince / churnHorizonDays) + 0.25 * clamp(gap / 7)
                + 0.15 * clamp(1 - Double(input.churn.count) / 10))
    }

    /// The standard normal distribution function.
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }
    static func clampSigned(_ value: Double) -> Double { min(1, max(-1, value)) }
}
