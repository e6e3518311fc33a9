/// Plain-language advice from this week's KPI values. Pure: the same data always gives the same advice.
///
/// The rules, with every threshold in `Threshold`:
/// - churn risk `S ≥ 0.60` → warning; `0.35 ≤ S < 0.60` → caution;
/// - improvement `I_t ≤ −0.05` → warning that performance is falling;
/// - recovery `R_t < 0.50` → tip to review mistakes; engagement `A_t < 0.40` → tip for regular short sessions;
///   goal probability `P < 0.50` → tip with steps toward the goal;
/// - praise (`encouragement`) for `I_t ≥ 0.05`, `E_t ≥ 0.15`, `R_t ≥ 0.80`, `A_t ≥ 0.70` or `P ≥ 0.80`, and only
///   when no warning was given, so high churn risk or falling performance is never praised;
/// - every KPI missing → a "not enough data yet" note and nothing else; no rule firing → a neutral note.
///
/// A missing KPI fires no rule. The result is ordered by level (warnings first), then by the order above.
public enum AdvisorRules {
    /// The thresholds of the rules, in one place.
    public enum Threshold {
        /// Churn risk at or above this is a warning.
        public static let churnHigh = 0.60
        /// Churn risk at or above this (and below `churnHigh`) is a caution.
        public static let churnModerate = 0.35
        /// Improvement at or below this is a warning: performance is falling.
        public static let improvementFalling = -0.05
        /// Improvement at or above this is praised.
        public static let improvementRising = 0.05
        /// Time efficiency at or above this is praised.
        public static let timeEfficiencyGood = 0.15
        /// Recovery below this suggests reviewing mistakes; at or above `recoveryGood` it is praised.
        public static let recoveryLow = 0.50
        public static let recoveryGood = 0.80
        /// Engagement below this suggests regular short sessions; at or above `engagementGood` it is praised.
        public static let engagementLow = 0.40
        public static let engagementGood = 0.70
        /// Goal probability below this suggests steps toward the goal; at or above `goalLikely` it is praised.
        public static let goalUnlikely = 0.50
        public static let goalLikely = 0.80
    }

    /// The advice for this week's values, warnings first.
    public static func advice(for data: ReportData) -> [Advice] {
        var values: [KPI: Double] = [:]
        for kpi in KPI.allCases {
            if let value = data.value(kpi) { values[kpi] = value }
        }
        guard !values.isEmpty else {
            return [
                Advice(
                    level: .info,
                    text: "There is not enough data yet for personal advice. Answer some questions on a few days "
                        + "this week and your next report will show how you are doing.")
            ]
        }
        var result = concerns(values) + suggestions(values)
        if !result.contains(where: { $0.level == .warning }) {
            result += praise(values)
        }
        if result.isEmpty {
            result.append(Advice(level: .info, text: "A steady week with no warning signs. Keep practising regularly."))
        }
        // Stable: within a level the rules keep their order.
        return result.enumerated().sorted { ($0.element.level.rank, $0.offset) < ($1.element.level.rank, $1.offset) }
            .map(\.element)
    }

    private static func concerns(_ values: [KPI: Double]) -> [Advice] {
        var result: [Advice] = []
        if let churn = values[.churnRisk] {
            let shown = KPI.churnRisk.format(churn)
            if churn >= Threshold.churnHigh {
                result.append(
                    Advice(
                        level: .warning,
                        text: "High risk of stopping (churn risk \(shown)): you have practised little lately. "
                            + "A short session in the next day or two keeps your progress going."))
            } else if churn >= Threshold.churnModerate {
                result.append(
                    Advice(
                        level: .caution,
                        text: "Some risk of stopping (churn risk \(shown)): pick a few fixed days each week "
                            + "for practice."))
            }
        }
        if let improvement = values[.improvement], improvement <= Threshold.improvementFalling {
            result.append(
                Advice(
                    level: .warning,
                    text: "Your performance is falling (improvement \(KPI.improvement.format(improvement))): "
                        + "recent results are below those of the two weeks before. Slow down and go back over "
                        + "the topics with the lowest accuracy."))
        }
        return result
    }

    private static func suggestions(_ values: [KPI: Double]) -> [Advice] {
        var result: [Advice] = []
        if let recovery = values[.recovery], recovery < Threshold.recoveryLow {
            result.append(
                Advice(
                    level: .info,
                    text: "Review your mistakes: you now answer \(KPI.recovery.format(recovery)) of the questions "
                        + "you missed before correctly. Read the explanations, then try those questions again."))
        }
        if let engagement = values[.engagement], engagement < Threshold.engagementLow {
            result.append(
                Advice(
                    level: .info,
                    text: "Practise in regular short sessions (engagement \(KPI.engagement.format(engagement))): "
                        + "10 to 15 minutes on most days works better than a rare long one."))
        }
        if let goal = values[.goalProbability], goal < Threshold.goalUnlikely {
            result.append(
                Advice(
                    level: .info,
                    text: "Your goal is not within reach yet (goal probability \(KPI.goalProbability.format(goal))). "
                        + "Work on your weakest topics first and practise a little every day to move toward it."))
        }
        return result
    }

    private static func praise(_ values: [KPI: Double]) -> [Advice] {
        var result: [Advice] = []
        if let improvement = values[.improvement], improvement >= Threshold.improvementRising {
            result.append(
                Advice(
                    level: .encouragement,
                    text: "Your results are improving (improvement \(KPI.improvement.format(improvement))). "
                        + "Keep going."))
        }
        if let efficiency = values[.timeEfficiency], efficiency >= Threshold.timeEfficiencyGood {
            result.append(
                Advice(
                    level: .encouragement,
                    text: "You answer correctly faster than before "
                        + "(time efficiency \(KPI.timeEfficiency.format(efficiency)))."))
        }
        if let recovery = values[.recovery], recovery >= Threshold.recoveryGood {
            result.append(
                Advice(
                    level: .encouragement,
                    text: "You have fixed most of your earlier mistakes (recovery \(KPI.recovery.format(recovery)))."))
        }
        if let engagement = values[.engagement], engagement >= Threshold.engagementGood {
            result.append(
                Advice(
                    level: .encouragement,
                    text: "You practise regularly (engagement \(KPI.engagement.format(engagement)))."))
        }
        if let goal = values[.goalProbability], goal >= Threshold.goalLikely {
            result.append(
                Advice(
                    level: .encouragement,
                    text: "You are on track for your goal (goal probability \(KPI.goalProbability.format(goal)))."))
        }
        return result
    }
}
