import JSON
import Postgres
import Reports
import UTCTime

/// Loads everything the reports of a group of learners need, in four set-based queries over the learners in the
/// temporary table `report_chunk`: KPIs of the eight weeks up to the report's week, the ability history up to the
/// week's end, and the week's answers per topic and per day.
enum ReportInputs {
    static let weeksShown = 8
    static let abilityPointsShown = 104

    static func load(
        _ connection: PostgresConnection, learners: [String], weekStart: Day, generatedAt: Timestamp
    ) throws -> [ReportData] {
        try connection.execute("TRUNCATE report_chunk")
        try connection.copyIn("COPY report_chunk (user_id) FROM STDIN") { writer in
            for learner in learners {
                writer.append(learner)
                try writer.endRow()
            }
        }
        let weeks = (0..<weeksShown).map { weekStart.advanced(by: -7 * (weeksShown - 1 - $0)) }
        let weekIndex = Dictionary(uniqueKeysWithValues: weeks.enumerated().map { ($1, $0) })
        var data: [String: ReportData] = [:]
        for learner in learners {
            data[learner] = ReportData(
                userID: learner, weekStart: weekStart, weeks: weeks,
                kpis: Dictionary(
                    uniqueKeysWithValues: KPI.allCases.map { ($0, [Double?](repeating: nil, count: weeks.count)) }),
                abilityHistory: [], topics: [], days: [], generatedAt: generatedAt)
        }
        try connection.stream(
            """
            SELECT k.user_id, k.week_start, k.kpis FROM weekly_kpi k JOIN report_chunk c ON c.user_id = k.user_id
            WHERE k.week_start >= \(weeks[0]) AND k.week_start <= \(weekStart)
            """
        ) { row in
            let user: String = try row.decode(0)
            guard let index = weekIndex[try row.decode(1, as: Day.self)],
                let kpis = try row.decode(2, as: JSONValue.self).objectValue
            else { return }
            for kpi in KPI.allCases { data[user]?.kpis[kpi]?[index] = kpis[kpi.rawValue]?.doubleValue }
        }
        try connection.stream(
            """
            SELECT user_id, theta, se, as_of FROM (
                SELECT h.user_id, h.theta, h.se, h.as_of, h.run_id,
                    row_number() OVER (PARTITION BY h.user_id ORDER BY h.as_of DESC, h.run_id DESC) AS recency
                FROM mirt_ability_history h JOIN report_chunk c ON c.user_id = h.user_id
                WHERE h.as_of <= \(weekStart.advanced(by: 6))
            ) recent WHERE recency <= \(abilityPointsShown) ORDER BY user_id, as_of, run_id
            """
        ) { row in
            data[try row.decode(0)]?.abilityHistory.append(
                AbilityPoint(
                    fittedAt: try row.decode(3, as: Day.self).start, theta: try row.decode(1), se: try row.decode(2)))
        }
        let week = TimeWindow(endingOn: weekStart.advanced(by: 6), days: 7)
        try connection.stream(
            """
            SELECT a.user_id, NULLIF(COALESCE(a.topic_id, i.topic_id), ''), count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a JOIN report_chunk c ON c.user_id = a.user_id LEFT JOIN items i ON i.item_id = a.item_id
            WHERE a.answered_at >= \(week.start) AND a.answered_at < \(week.end)
            GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2
            """
        ) { row in
            data[try row.decode(0)]?.topics.append(
                TopicAccuracy(topicID: try row.decode(1), attempts: try row.decode(2), correct: try row.decode(3)))
        }
        try connection.stream(
            """
            SELECT a.user_id, (a.answered_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE a.correct)
            FROM attempts a JOIN report_chunk c ON c.user_id = a.user_id
            WHERE a.answered_at >= \(week.start) AND a.answered_at < \(week.end)
            GROUP BY 1, 2 ORDER BY 1, 2
            """
        ) { row in
            data[try row.decode(0)]?.days.append(
                DailyActivity(day: try row.decode(1), attempts: try row.decode(2), correct: try row.decode(3)))
        }
        return learners.compactMap { data[$0] }
    }
}
