/// Whether a week-over-week change is good news for the learner (for churn risk a rise is `worse`).
public enum ChangeVerdict: String, Sendable {
    case better
    case worse
    case unchanged
}

/// One row of the KPI table: a KPI's value this week, the change from the previous week and the recent weeks.
public struct KPIRow: Sendable, Equatable {
    public var kpi: KPI
    /// This week's value; nil when missing.
    public var value: Double?
    /// The previous week's value; nil when missing or when the previous week is not in the data.
    public var previous: Double?
    /// The values of `ReportData.weeks`, oldest first (nil = missing), for the sparkline.
    public var history: [Double?]

    public init(kpi: KPI, value: Double?, previous: Double?, history: [Double?]) {
        self.kpi = kpi
        self.value = value
        self.previous = previous
        self.history = history
    }

    /// `value − previous`; nil when either week is missing.
    public var change: Double? {
        guard let value, let previous, value.isFinite, previous.isFinite else { return nil }
        return value - previous
    }

    /// This week's value as shown: `72%`, `+0.12`, or `not enough data yet`.
    public var valueText: String { kpi.format(value) }

    /// The change as shown, computed from the displayed values: `+3 pts` for shares (percentage points), `−0.04` for
    /// improvement; nil when either week is missing.
    public var changeText: String? {
        guard let units = kpi.displayedChange(from: previous, to: value) else { return nil }
        if units == 0 { return "no change" }
        if kpi.isPercentage {
            return FixedDecimal.string(Double(units), decimals: 0, plus: true) + " pts"
        }
        return FixedDecimal.string(Double(units) / 100, decimals: 2, plus: true)
    }

    /// Whether the displayed change is good news; nil when either week is missing.
    public var verdict: ChangeVerdict? {
        guard let units = kpi.displayedChange(from: previous, to: value) else { return nil }
        if units == 0 { return .unchanged }
        return (units > 0) == kpi.higherIsBetter ? .better : .worse
    }

    /// The change cell's full text: `+3 pts, better`, `−0.04, worse`, `no change`, or `not enough data yet`.
    public var changeSummary: String {
        guard let changeText, let verdict else { return "not enough data yet" }
        return verdict == .unchanged ? changeText : changeText + ", " + verdict.rawValue
    }
}
