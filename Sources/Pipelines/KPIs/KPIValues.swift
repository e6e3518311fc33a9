import JSON

/// The six weekly KPIs of one learner; nil where the inputs are missing.
public struct KPIValues: Sendable, Equatable {
    public var improvement: Double?
    public var timeEfficiency: Double?
    public var recovery: Double?
    public var engagement: Double?
    public var goalProbability: Double?
    public var churnRisk: Double?

    public init(
        improvement: Double? = nil, timeEfficiency: Double? = nil, recovery: Double? = nil, engagement: Double? = nil,
        goalProbability: Double? = nil, churnRisk: Double? = nil
    ) {
        self.improvement = improvement
        self.timeEfficiency = timeEfficiency
        self.recovery = recovery
        self.engagement = engagement
        self.goalProbability = goalProbability
        self.churnRisk = churnRisk
    }

    /// The keys as stored in `weekly_kpi.kpis` (names kept from the old system).
    public static let keys = ["I_t", "E_t", "R_t", "A_t", "P", "S"]

    /// All six keys, missing values as JSON null.
    public var jsonObject: JSONObject {
        JSONObject([
            ("I_t", .number(improvement)), ("E_t", .number(timeEfficiency)), ("R_t", .number(recovery)),
            ("A_t", .number(engagement)), ("P", .number(goalProbability)), ("S", .number(churnRisk)),
        ])
    }
}
