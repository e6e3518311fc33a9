import JSON
import Postgres
import UTCTime

/// `aggregate-features-daily` (SPEC §5): for each day of `W(date, lookback_days)` and each learner × topic with
/// attempts that day, counts, times, hints, the ability with the latest `as_of` up to that day and the learner's `I_t` as of
/// that day. The recomputed days are replaced exactly (rows whose attempts are gone disappear).
struct AggregateFeaturesJob: StageJob {
    let lastDay: Day
    let lookbackDays: Int

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let range = TimeWindow(endingOn: lastDay, days: lookbackDays)
        // I_t of the range's first day looks back 27 days before it.
        let historyDay = range.firstDay.advanced(by: -27)
        let historyStart = historyDay.start
        var rows = try FeatureQueries.dailyTopicRows(connection, range: range)
        let learners = try LearnerSelection.create(connection, activeIn: range, userIDs: nil)
        var histories = try FeatureQueries.histories(
            connection, from: historyStart, to: range.end, abilitiesFrom: historyDay, through: range.lastDay)
        for key in histories.keys { histories[key]?.sort() }
        var improvementCache: [String: [Day: Double?]] = [:]
        for index in rows.indices {
            let row = rows[index]
            guard let history = histories[row.userID] else { continue }
            let ability = history.latestAbility(from: nil, to: row.day)
            rows[index].thetaEstimate = ability?.theta
            rows[index].thetaSD = ability?.se
            if let cached = improvementCache[row.userID]?[row.day] {
                rows[index].improvement = cached
            } else {
                let value = history.improvement(asOf: row.day)
                improvementCache[row.userID, default: [:]][row.day] = value
                rows[index].improvement = value
            }
        }
        let deleted = try connection.query(
            "DELETE FROM features_topic_daily WHERE date >= \(range.firstDay) AND date <= \(range.lastDay)"
        ).affectedRows
        let written = try FeatureQueries.write(
            rows, connection: connection, computedAt: context.startedAt, runID: context.runID)
        return JSONObject([
            ("days", .int(Int64(lookbackDays))), ("first_day", .string(range.firstDay.iso)),
            ("last_day", .string(range.lastDay.iso)), ("learners", .int(Int64(learners))),
            ("rows_deleted", .int(Int64(deleted))), ("rows_written", .int(Int64(written))),
        ])
    }
}
