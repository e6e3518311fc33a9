import UTCTime

/// One ability estimate from the calibration history (`mirt_ability` history).
public struct AbilityPoint: Sendable, Equatable {
    /// Where the estimate stands on the trend: the start of the day the calibration was as of (its data's last day).
    public var fittedAt: Timestamp
    /// The ability θ on the calibration's scale.
    public var theta: Double
    /// The standard error of θ (the posterior SD).
    public var se: Double

    public init(fittedAt: Timestamp, theta: Double, se: Double) {
        self.fittedAt = fittedAt
        self.theta = theta
        self.se = se
    }
}

/// Answers on one topic during the report's week.
public struct TopicAccuracy: Sendable, Equatable {
    /// The topic; nil for answers to items without a topic.
    public var topicID: String?
    public var attempts: Int
    public var correct: Int

    public init(topicID: String?, attempts: Int, correct: Int) {
        self.topicID = topicID
        self.attempts = attempts
        self.correct = correct
    }

    /// The share correct; nil without attempts (never 0 for "no answers").
    public var accuracy: Double? {
        attempts > 0 ? Double(min(max(correct, 0), attempts)) / Double(attempts) : nil
    }
}

/// Answers on one day of the report's week.
public struct DailyActivity: Sendable, Equatable {
    public var day: Day
    public var attempts: Int
    public var correct: Int

    public init(day: Day, attempts: Int, correct: Int) {
        self.day = day
        self.attempts = attempts
        self.correct = correct
    }
}
