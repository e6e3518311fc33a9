import UTCTime

/// One row of `features_topic_daily`: a learner's answers in one topic on one UTC day.
struct FeatureRow {
    var userID: String
    /// The attempt's topic, else the item's; empty when neither has one.
    var topicID: String
    var day: Day
    var attempts: Int
    var correct: Int
    var averageTimeMs: Double?
    var medianTimeMs: Double?
    /// Attempts that used at least one hint.
    var hintedAttempts: Int
    var thetaEstimate: Double?
    var thetaSD: Double?
    var improvement: Double?
    /// The learner's last answer that day.
    var lastSeenAt: Timestamp
}
