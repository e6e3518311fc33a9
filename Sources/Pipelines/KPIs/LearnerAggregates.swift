import UTCTime

/// The per-learner aggregates the six KPIs are computed from (SPEC §4). The stages fill them from their reads of the
/// attempts (`KPITally`, or the churn sessions PostgreSQL groups for detect-inactivity); the formulas (`KPIFormulas`)
/// never see single attempts.
public struct LearnerAggregates: Sendable, Equatable {
    /// Attempts and correct ones in `W(as_of, 14)` and the 14 days before.
    public var recentAttempts = 0
    public var recentCorrect = 0
    public var previousAttempts = 0
    public var previousCorrect = 0
    /// Medians of the response times of correct attempts with a time, in `W(as_of, 28)` and the 28 days before.
    public var recentMedianTime: Double?
    public var previousMedianTime: Double?
    /// Attempts in `W(as_of, 28)` on (item, topic) keys answered wrongly in the 28 days before, and correct ones.
    public var recoveryAttempts = 0
    public var recoveryCorrect = 0
    /// Sessions in `W(as_of, 28)` (engagement).
    public var engagement = SessionSummary()
    /// Mean hint count over attempts in `W(as_of, 28)` that have one.
    public var meanHints: Double?
    /// Sessions in `W(as_of, 56)` (churn risk).
    public var churn = SessionSummary()
    /// The learner's last answer in `W(as_of, 56)`.
    public var lastAnswer: Timestamp?
    /// Ability estimates: latest fitted in `W(as_of, 14)`, in the 14 days before, and before the end of `as_of`.
    public var recentAbility: AbilityEstimateRow?
    public var previousAbility: AbilityEstimateRow?
    public var latestAbility: AbilityEstimateRow?
    /// The learner's goal, or nil for the configured default.
    public var targetTheta: Double?

    public init() {}
}

/// Sessions of one learner in one window. A session is a `session_id`; attempts without one form one session per
/// UTC day; a session starts at its first answer in the window.
public struct SessionSummary: Sendable, Equatable {
    public var count = 0
    public var firstStart: Timestamp?
    public var lastStart: Timestamp?
    /// Sessions with at least one response time, and the sum of their durations (sum of response times) in ms.
    public var timedSessions = 0
    public var totalDurationMs: Double = 0

    public init(
        count: Int = 0, firstStart: Timestamp? = nil, lastStart: Timestamp? = nil, timedSessions: Int = 0,
        totalDurationMs: Double = 0
    ) {
        self.count = count
        self.firstStart = firstStart
        self.lastStart = lastStart
        self.timedSessions = timedSessions
        self.totalDurationMs = totalDurationMs
    }

    /// Counts one session starting at `start` (microseconds) whose response times sum to `durationMs` (negative: the
    /// session has no response time).
    mutating func add(start microseconds: Int64, durationMs: Int64) {
        let start = Timestamp(microseconds: microseconds)
        count += 1
        firstStart = min(firstStart ?? start, start)
        lastStart = max(lastStart ?? start, start)
        if durationMs >= 0 {
            timedSessions += 1
            totalDurationMs += Double(durationMs)
        }
    }

    /// The mean gap in days between consecutive session starts: the gaps telescope, so it is
    /// (last start − first start) / (sessions − 1). Nil with fewer than two sessions.
    public var meanGapDays: Double? {
        guard count >= 2, let firstStart, let lastStart else { return nil }
        return Double(lastStart.microseconds - firstStart.microseconds) / Double(Timestamp.microsecondsPerDay)
            / Double(count - 1)
    }
}

/// One ability estimate as read from the history: `asOf` is the day whose data its calibration used, `runID` orders
/// estimates of the same day (the latest run wins).
public struct AbilityEstimateRow: Sendable, Equatable {
    public var theta: Double
    public var se: Double
    public var asOf: Day
    public var runID: Int64

    public init(theta: Double, se: Double, asOf: Day, runID: Int64 = 0) {
        self.theta = theta
        self.se = se
        self.asOf = asOf
        self.runID = runID
    }
}
