import UTCTime

/// The floor under aggregate-features-daily: the read of `FeatureQueries.tally` in one COPY, the attempts of the history
/// `[range.firstDay − 27 days, range.end)` (`I_t` of the range's first day looks back 27 days before it) with the
/// columns its COPY selects: learner, time and correctness of every attempt, and topic, item, response time and hints
/// of the attempts of the recomputed days (`W(date, lookback_days)`) only. (The stage also leaves out the item of an
/// attempt with a topic; the floor streams it, a few bytes more.)
extension AggregateFeaturesJob: FloorDefining {
    var floorReads: [StageFloor.Read] {
        let range = TimeWindow(endingOn: lastDay, days: lookbackDays)
        return [
            StageFloor.Read(
                purpose: "the history of the recomputed days",
                columns: [.userID, .answeredAt, .correct, .topicID, .itemID, .responseTimeMs, .hints],
                from: range.firstDay.advanced(by: -27).start, to: range.end,
                lateColumns: [.topicID, .itemID, .responseTimeMs, .hints], lateFrom: range.start)
        ]
    }
}
