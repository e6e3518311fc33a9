/// How a piece of advice is meant, in the order the report lists them: warnings first.
public enum AdviceLevel: String, Sendable, CaseIterable {
    /// Something is going wrong (high churn risk, falling performance).
    case warning
    /// Something to watch (moderate churn risk).
    case caution
    /// Praise the numbers support; only given when there is no warning.
    case encouragement
    /// A suggestion or a neutral note.
    case info

    /// The label the report prints before the advice, so the level never depends on colour alone.
    public var label: String {
        switch self {
        case .warning: "Warning"
        case .caution: "Caution"
        case .encouragement: "Well done"
        case .info: "Tip"
        }
    }

    /// Position in the report: warnings first, then cautions, encouragement and tips.
    var rank: Int {
        switch self {
        case .warning: 0
        case .caution: 1
        case .encouragement: 2
        case .info: 3
        }
    }
}

/// One plain-language piece of advice derived from the week's numbers.
public struct Advice: Sendable, Equatable {
    public var level: AdviceLevel
    public var text: String

    public init(level: AdviceLevel, text: String) {
        self.level = level
        self.text = text
    }
}
