import Reports
import UTCTime

/// Hand-built report data for the tests: a full week with eight weeks of KPIs, and helpers to read the page back.
enum Fixtures {
    /// Monday 2026-11-23 (ISO week 2026-W48).
    static let week = Day(iso: "2026-11-23")!
    /// The eight week starts ending with `week`, oldest first.
    static let weeks = (0..<8).map { week.advanced(by: -7 * (7 - $0)) }
    static let generatedAt = Timestamp(rfc3339: "2026-11-30T04:00:00Z")!

    /// Eight weeks of plausible values for every KPI.
    static let fullKPIs: [KPI: [Double?]] = [
        .improvement: [0.01, 0.02, -0.01, 0.03, 0.04, 0.02, 0.05, 0.08],
        .timeEfficiency: [0.10, 0.12, 0.11, 0.15, 0.14, 0.18, 0.20, 0.22],
        .recovery: [0.40, 0.45, nil, 0.55, 0.60, 0.62, 0.70, 0.74],
        .engagement: [0.50, 0.55, 0.52, 0.60, 0.58, 0.65, 0.68, 0.72],
        .goalProbability: [0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.62, 0.66],
        .churnRisk: [0.30, 0.28, 0.25, 0.22, 0.20, 0.18, 0.15, 0.12],
    ]

    /// Thirty ability estimates, three days apart, rising with a shrinking standard error.
    static let ability = (0..<30).map { index in
        AbilityPoint(
            fittedAt: week.advanced(by: -90 + 3 * index).start.adding(microseconds: 3 * 3_600_000_000),
            theta: -0.4 + 0.03 * Double(index), se: 0.5 - 0.01 * Double(index))
    }

    static let topics = [
        TopicAccuracy(topicID: "fractions", attempts: 25, correct: 18),
        TopicAccuracy(topicID: "algebra", attempts: 12, correct: 6),
        TopicAccuracy(topicID: "geometry", attempts: 8, correct: 8),
        TopicAccuracy(topicID: nil, attempts: 3, correct: 1),
    ]

    static let days = (0..<7).map { offset in
        DailyActivity(
            day: week.advanced(by: offset), attempts: [12, 0, 9, 15, 0, 6, 6][offset],
            correct: [9, 0, 6, 12, 0, 4, 3][offset])
    }

    /// A full report; every part can be replaced.
    static func data(
        user: String = "learner-42", kpis: [KPI: [Double?]] = fullKPIs, ability: [AbilityPoint] = ability,
        topics: [TopicAccuracy] = topics, days: [DailyActivity] = days
    ) -> ReportData {
        ReportData(
            userID: user, weekStart: week, weeks: weeks, kpis: kpis, abilityHistory: ability, topics: topics,
            days: days, generatedAt: generatedAt)
    }

    /// A report whose only KPI values are this week's `values` (every earlier week missing).
    static func thisWeek(_ values: [KPI: Double]) -> ReportData {
        var kpis: [KPI: [Double?]] = [:]
        for (kpi, value) in values {
            kpis[kpi] = Array(repeating: nil, count: weeks.count - 1) + [value]
        }
        return data(kpis: kpis)
    }

    /// Garbage numbers of every kind: the renderer must neither trap nor break the page.
    static func hostile() -> ReportData {
        let kpis: [KPI: [Double?]] = [
            .improvement: [1e300, -.infinity, .nan, -1e300, 5, -5, nil, 1e-300],
            .churnRisk: [.infinity, 2, -1, nil],
            .recovery: Array(repeating: 0.5, count: 20),
        ]
        let ability = [
            AbilityPoint(fittedAt: generatedAt, theta: 1e300, se: .infinity),
            AbilityPoint(fittedAt: generatedAt.adding(days: -9), theta: -1e300, se: -1),
            AbilityPoint(fittedAt: generatedAt.adding(days: -3), theta: .nan, se: 0.2),
            AbilityPoint(fittedAt: generatedAt, theta: 0.1, se: 1e300),
        ]
        let topics = [
            TopicAccuracy(topicID: "", attempts: 3, correct: 7),
            TopicAccuracy(topicID: "neg", attempts: -4, correct: -1),
            TopicAccuracy(topicID: "big", attempts: Int.max, correct: Int.max),
        ]
        let days = [
            DailyActivity(day: week, attempts: 5, correct: 9),
            DailyActivity(day: week, attempts: 2, correct: -3),
            DailyActivity(day: week.advanced(by: 7), attempts: 100, correct: 100),
            DailyActivity(day: week.advanced(by: 3), attempts: -8, correct: 2),
        ]
        return data(user: "", kpis: kpis, ability: ability, topics: topics, days: days)
    }

    /// The page as text.
    static func html(_ data: ReportData) -> String {
        String(decoding: ReportRenderer.render(data), as: UTF8.self)
    }

    /// The KPI table row of `kpi`: from its row header to the end of the row.
    static func row(of kpi: KPI, in html: String) -> Substring {
        guard let start = html.firstRange(of: "<th scope=\"row\">\(kpi.title)<"),
            let end = html[start.upperBound...].firstRange(of: "</tr>")
        else { return "" }
        return html[start.lowerBound..<end.upperBound]
    }

    /// The number of non-overlapping occurrences of `needle`.
    static func count(_ needle: String, in text: some StringProtocol) -> Int {
        text.ranges(of: needle).count
    }
}
