import UTCTime

/// The windows of SPEC §4 for one `as_of` day: 14 days and the 14 before (improvement), 28 and the 28 before
/// (time efficiency, recovery; the recent 28 also for engagement), 56 (churn risk).
struct KPIWindows {
    let asOf: Day
    let recent14: TimeWindow
    let previous14: TimeWindow
    let recent28: TimeWindow
    let previous28: TimeWindow
    let churn56: TimeWindow

    init(asOf: Day) {
        self.asOf = asOf
        recent14 = TimeWindow(endingOn: asOf, days: 14)
        previous14 = recent14.previous
        recent28 = TimeWindow(endingOn: asOf, days: 28)
        previous28 = recent28.previous
        churn56 = TimeWindow(endingOn: asOf, days: 56)
    }

    /// The earliest instant any KPI looks at (the 28 days before the recent 28 = the start of the 56).
    var earliest: Timestamp { min(previous28.start, churn56.start) }
    var end: Timestamp { asOf.end }
}
