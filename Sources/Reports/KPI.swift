/// The six weekly KPIs (SPEC §4), with the keys `weekly_kpi.kpis` stores them under.
public enum KPI: String, CaseIterable, Sendable {
    case improvement = "I_t"
    case timeEfficiency = "E_t"
    case recovery = "R_t"
    case engagement = "A_t"
    case goalProbability = "P"
    case churnRisk = "S"

    /// The name a learner reads.
    public var title: String {
        switch self {
        case .improvement: "Improvement"
        case .timeEfficiency: "Time efficiency"
        case .recovery: "Recovery"
        case .engagement: "Engagement"
        case .goalProbability: "Goal probability"
        case .churnRisk: "Churn risk"
        }
    }

    /// What the KPI means, in one line.
    public var meaning: String {
        switch self {
        case .improvement:
            "Change in your accuracy or ability over the last 14 days against the 14 days before; above 0 is progress."
        case .timeEfficiency:
            "How much faster your correct answers got over the last 28 days against the 28 before; higher is better."
        case .recovery:
            "Share of questions you had missed before that you now answer correctly; higher is better."
        case .engagement:
            "How often and how regularly you practise, with few hints and sessions of a good length; higher is better."
        case .goalProbability:
            "Chance that your ability is above your target level; higher is better."
        case .churnRisk:
            "Risk that you stop practising, from the days since your last answer and the gaps between sessions; "
                + "higher is worse."
        }
    }

    /// Shares in [0, 1] are shown as percentages; improvement, in [-1, 1], as a signed number.
    public var isPercentage: Bool { self != .improvement }

    /// The interval the KPI's values lie in.
    public var range: ClosedRange<Double> { self == .improvement ? -1...1 : 0...1 }

    /// Whether a rise is good news. Churn risk is the one KPI where higher is worse.
    public var higherIsBetter: Bool { self != .churnRisk }

    /// `value` as the report shows it: `72%` for shares, `+0.12` or `−0.05` (U+2212) for improvement, and
    /// `not enough data yet` when it is missing (nil or not finite) — a missing value is never shown as 0.
    public func format(_ value: Double?) -> String {
        var writer = HTMLWriter(capacity: 24)
        writer.kpiValue(value, of: self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The change between two weeks in display units: hundredths, i.e. percentage points for shares and 0.01 steps
    /// for improvement. It is the difference of the two values as displayed (rounded first), so the numbers on the
    /// page add up; nil when either week is missing.
    public func displayedChange(from previous: Double?, to current: Double?) -> Int? {
        guard let previous, let current, previous.isFinite, current.isFinite else { return nil }
        return Self.hundredths(current) - Self.hundredths(previous)
    }

    private static func hundredths(_ value: Double) -> Int {
        Int((max(-1e6, min(1e6, value)) * 100).rounded())
    }
}
