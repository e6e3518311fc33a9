import JSON
import Postgres
import UTCTime

/// `compute-daily-kpis` (SPEC §4): the six KPIs of every learner with an attempt in `W(as_of, lookback_days)`, as
/// of `as_of`, merged into the learner's week of `weekly_kpi`.
struct ComputeDailyKPIsJob: StageJob {
    let asOf: Day
    let lookbackDays: Int
    let userIDs: [String]?

    /// The aggregates of the selected learners from one pass over the attempts (two steps of `progress`); the tally
    /// and its session store are freed on return, before the learners' KPIs and rows are built.
    private func readAggregates(_ connection: PostgresConnection, _ windows: KPIWindows, _ progress: RunProgress)
        throws -> [String: LearnerAggregates]
    {
        var tally = KPITally(windows: windows, lookbackDays: lookbackDays, userIDs: userIDs)
        try KPIQueries.attempts(connection, from: windows.earliest, to: windows.recent28.start, userIDs: userIDs) {
            row in try tally.add(row, half: .previous)
        }
        tally.endHalf(.previous)
        try progress.tick(1)
        try KPIQueries.attempts(connection, from: windows.recent28.start, to: windows.end, userIDs: userIDs) { row in
            try tally.add(row, half: .recent)
        }
        tally.endHalf(.recent)
        try progress.tick(2)
        let selectionStart = TimeWindow(endingOn: asOf, days: lookbackDays).start
        if selectionStart < windows.earliest {
            try KPIQueries.learners(connection, from: selectionStart, to: windows.earliest) { tally.select($0) }
        }
        // The session stores (freed at the recent half's end) were millions of small blocks: their pages go back
        // before the aggregates take tens of MB more, or the stage's peak holds both.
        RunMemory.returnFreePages()
        return tally.aggregates()
    }

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let windows = KPIWindows(asOf: asOf)
        let progress = context.progress
        // One pass over the attempts of the windows, in two halves (see `KPITally`), then the learners' ability
        // estimates and goals, one step each, then the learners one by one.
        try progress.begin("queries", total: 6)
        let aggregates = try readAggregates(connection, windows, progress)
        try LearnerSelection.create(connection, learners: aggregates.keys)
        try progress.tick(3)
        let recent = try KPIQueries.latestAbilities(
            connection, from: windows.recent14.firstDay, to: windows.recent14.lastDay)
        try progress.tick(4)
        let previous = try KPIQueries.latestAbilities(
            connection, from: windows.previous14.firstDay, to: windows.previous14.lastDay)
        try progress.tick(5)
        let latest = try KPIQueries.latestAbilities(connection, from: nil, to: asOf)
        try progress.tick(6)
        let goals = try KPIQueries.goals(connection)
        try progress.begin("learners", total: aggregates.count)
        var rows: [(userID: String, kpis: JSONObject)] = []
        rows.reserveCapacity(aggregates.count)
        var present = [Int](repeating: 0, count: KPIValues.keys.count)
        var thetaMode = 0
        for (user, var input) in aggregates {
            if rows.count % RunProgress.stride == 0 { try progress.tick(rows.count) }
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
        try progress.begin("writing", total: rows.count)
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
