import JSON
import UTCTime

/// `compute-daily-kpis` (SPEC §4): the six KPIs of every learner with an attempt in `W(as_of, lookback_days)`, as
/// of `as_of`, merged into the learner's week of `weekly_kpi`.
struct ComputeDailyKPIsJob: StageJob {
    let asOf: Day
    let lookbackDays: Int
    let userIDs: [String]?

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let windows = KPIWindows(asOf: asOf)
        let learners = try LearnerSelection.create(
            connection, activeIn: TimeWindow(endingOn: asOf, days: lookbackDays), userIDs: userIDs)
        var aggregates: [String: LearnerAggregates] = [:]
        aggregates.reserveCapacity(learners)
        try KPIQueries.windows(connection, windows, into: &aggregates)
        try KPIQueries.recovery(connection, windows, into: &aggregates)
        try KPIQueries.sessions(connection, windows, joinSelection: userIDs != nil, into: &aggregates)
        let recent = try KPIQueries.latestAbilities(
            connection, from: windows.recent14.firstDay, to: windows.recent14.lastDay)
        let previous = try KPIQueries.latestAbilities(
            connection, from: windows.previous14.firstDay, to: windows.previous14.lastDay)
        let latest = try KPIQueries.latestAbilities(connection, from: nil, to: asOf)
        let goals = try KPIQueries.goals(connection)
        var rows: [(userID: String, kpis: JSONObject)] = []
        rows.reserveCapacity(aggregates.count)
        var present = [Int](repeating: 0, count: KPIValues.keys.count)
        var thetaMode = 0
        for (user, var input) in aggregates {
            input.recentAbility = recent[user]
            input.previousAbility = previous[user]
            input.latestAbility = latest[user]
            input.targetTheta = goals[user]
            if input.recentAbility != nil, input.previousAbility != nil,
                input.recentAttempts >= KPIFormulas.thetaModeMinimumAttempts
            {
                thetaMode += 1
            }
            let values = KPIFormulas.all(input, asOf: asOf)
            let object = values.jsonObject
            for (index, member) in object.members.enumerated() where !member.value.isNull { present[index] += 1 }
            rows.append((userID: user, kpis: object))
        }
        rows.sort { $0.userID < $1.userID }
        let written = try WeeklyKPIWriter.merge(connection, asOf: asOf, rows: rows)
        context.logger.info(
            "kpis computed", metadata: ["learners": "\(rows.count)", "week_start": "\(asOf.weekStart)"])
        var counts = JSONObject([
            ("learners", .int(Int64(rows.count))), ("rows_written", .int(Int64(written))),
            ("improvement_theta_mode", .int(Int64(thetaMode))),
        ])
        var nonNull = JSONObject()
        for (index, key) in KPIValues.keys.enumerated() { nonNull[key] = .int(Int64(present[index])) }
        counts["non_null"] = .object(nonNull)
        return counts
    }
}
