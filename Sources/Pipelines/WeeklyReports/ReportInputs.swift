import JSON
import Postgres
import Reports
import UTCTime

/// Loads everything the reports of a group of learners need, in two set-based queries over the learners passed as
/// one array parameter (each an index scan per learner): KPIs of the eight weeks up to the report's week and the
/// ability history up to the week's end. The week's answers per topic and day, for the topic and daily charts, come
/// from the run's `WeekAnswerTable`.
enum ReportInputs {
    static let weeksShown = 8
    static let abilityPointsShown = 104

    static func load(
        _ connection: PostgresConnection, learners: [String], weekStart: Day, answers: WeekAnswerTable,
        generatedAt: Timestamp
    ) throws -> [ReportData] {
        let weeks = (0..<weeksShown).map { weekStart.advanced(by: -7 * (weeksShown - 1 - $0)) }
        let weekIndex = Dictionary(uniqueKeysWithValues: weeks.enumerated().map { ($1, $0) })
        var data: [String: ReportData] = [:]
        data.reserveCapacity(learners.count)
        for learner in learners {
            data[learner] = ReportData(
                userID: learner, weekStart: weekStart, weeks: weeks,
                kpis: Dictionary(
                    uniqueKeysWithValues: KPI.allCases.map { ($0, [Double?](repeating: nil, count: weeks.count)) }),
                abilityHistory: [], topics: [], days: [], generatedAt: generatedAt)
        }
        for row in try connection.query(
            """
            SELECT user_id, week_start, kpis FROM weekly_kpi
            WHERE user_id = ANY(\(learners)::text[]) AND week_start >= \(weeks[0]) AND week_start <= \(weekStart)
            """
        ).rows {
            let user: String = try row.decode(0)
            guard let index = weekIndex[try row.decode(1, as: Day.self)],
                let kpis = try row.decode(2, as: JSONValue.self).objectValue
            else { continue }
            for kpi in KPI.allCases { data[user]?.kpis[kpi]?[index] = kpis[kpi.rawValue]?.doubleValue }
        }
        for row in try connection.query(
            """
            SELECT user_id, theta, se, as_of FROM (
                SELECT user_id, theta, se, as_of, run_id,
                    row_number() OVER (PARTITION BY user_id ORDER BY as_of DESC, run_id DESC) AS recency
                FROM mirt_ability_history
                WHERE user_id = ANY(\(learners)::text[]) AND as_of <= \(weekStart.advanced(by: 6))
            ) recent WHERE recency <= \(abilityPointsShown) ORDER BY user_id, as_of, run_id
            """
        ).rows {
            data[try row.decode(0)]?.abilityHistory.append(
                AbilityPoint(
                    fittedAt: try row.decode(3, as: Day.self).start, theta: try row.decode(1), se: try row.decode(2)))
        }
        for learner in learners {
            let week = answers.answers(of: learner)
            data[learner]?.topics = week.topics
            data[learner]?.days = week.days
        }
        return learners.compactMap { data[$0] }
    }
}
