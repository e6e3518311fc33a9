import UTCTime

/// The floor under aggregate-features-daily: the two reads of `FeatureQueries`, the per-topic daily rows over the
/// recomputed days (`W(date, lookback_days)`, every column but the session) and the daily counts behind `I_t` from 27
/// days before the first of them (learner, time, correctness).
extension AggregateFeaturesJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let range = TimeWindow(endingOn: lastDay, days: lookbackDays)
        return [
            StageFloor.Read(
                purpose: "the recomputed days",
                columns: [.userID, .itemID, .topicID, .answeredAt, .correct, .responseTimeMs, .hints],
                from: range.start, to: range.end),
            StageFloor.Read(
                purpose: "the daily counts of I_t", columns: [.userID, .answeredAt, .correct],
                from: range.firstDay.advanced(by: -27).start, to: range.end),
        ]
    }
}
