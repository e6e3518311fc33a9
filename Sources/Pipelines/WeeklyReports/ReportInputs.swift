import JSON
import Postgres
import Reports
import UTCTime

/// Loads everything the reports of a group of learners need, in three set-based queries over the learners passed as
/// one array parameter (each an index scan per learner): KPIs of the eight weeks up to the report's week, the ability
/// history up to the week's end, and the week's answers per topic and day, from which both the topic chart and the
/// daily chart are summed (`WeekAnswers`).
enum ReportInputs {
    static let weeksShown = 8
    static let abilityPointsShown = 104

    static func load(
        _ connection: PostgresConnection, learners: [String], weekStart: Day, generatedAt: Timestamp
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
        let week = TimeWindow(endingOn: weekStart.advanced(by: 6), days: 7)
        var answers = WeekAnswers()
        for row in try connection.query(
            """
            SELECT a.user_id, NULLIF(COALESCE(a.topic_id, i.topic_id), ''), (a.answered_at AT TIME ZONE 'UTC')::date,
                count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
            WHERE a.user_id = ANY(\(learners)::text[]) AND a.answered_at >= \(week.start) AND a.answered_at < \(week.end)
            GROUP BY 1, 2, 3 ORDER BY 1
            """
        ).rows {
            let user: String = try row.decode(0)
            if user != answers.user {
                answers.flush(into: &data)
                answers.user = user
            }
            answers.add(
                topic: try row.decode(1), day: try row.decode(2), attempts: try row.decode(3),
                correct: try row.decode(4))
        }
        answers.flush(into: &data)
        return learners.compactMap { data[$0] }
    }
}
