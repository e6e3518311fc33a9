import UTCTime

/// The floor under compute-daily-kpis: the reads of `KPIQueries` that `ComputeDailyKPIsJob` makes, every column of
/// the attempts over the widest KPI window, `[churn56.start, end)`, which holds all the others (the 28 days before
/// the recent 28 start there too); and, when `lookback_days` reaches further back than those 56 days, the learners
/// (`user_id` only) of the days before them, which only select learners.
extension ComputeDailyKPIsJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let windows = KPIWindows(asOf: asOf)
        let selection = TimeWindow(endingOn: asOf, days: lookbackDays)
        var reads = [
            StageFloor.Read(
                purpose: "the KPI windows", columns: StageFloor.Column.allCases, from: windows.earliest,
                to: windows.end)
        ]
        if selection.start < windows.earliest {
            reads.append(
                StageFloor.Read(
                    purpose: "the learners of the longer lookback", columns: [.userID], from: selection.start,
                    to: windows.earliest))
        }
        return reads
    }
}
