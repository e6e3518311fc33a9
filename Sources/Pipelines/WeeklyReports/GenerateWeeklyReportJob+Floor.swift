import UTCTime

/// The floor under generate-weekly-report: the attempts of the report's week that `ReportInputs` counts per topic and
/// per day (learner, item and topic, time, correctness). Its other inputs (KPIs, ability history) are not attempts.
extension GenerateWeeklyReportJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let week = TimeWindow(endingOn: weekStart.advanced(by: 6), days: 7)
        return [
            StageFloor.Read(
                purpose: "the week's answers", columns: [.userID, .itemID, .topicID, .answeredAt, .correct],
                from: week.start, to: week.end)
        ]
    }
}
