import UTCTime

/// The floor under compute-daily-kpis: every column the KPI queries read (`KPIQueries`), over the widest of their
/// windows, `[churn56.start, end)`, which holds all the others (the 28 days before the recent 28 start there too).
/// The selection of learners (`LearnerSelection`) reads learners over `lookback_days`; a lookback longer than the 56
/// days widens the read to its start.
extension ComputeDailyKPIsJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let windows = KPIWindows(asOf: asOf)
        let selection = TimeWindow(endingOn: asOf, days: lookbackDays)
        return [
            StageFloor.Read(
                purpose: "the KPI windows", columns: StageFloor.Column.allCases,
                from: min(windows.earliest, selection.start), to: windows.end)
        ]
    }
}
