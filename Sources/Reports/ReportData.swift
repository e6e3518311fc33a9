import UTCTime

/// Everything one learner's weekly report shows, gathered before rendering so that rendering is pure.
public struct ReportData: Sendable {
    public var userID: String
    /// The Monday of the report's week; the week is `weekStart` ... `weekStart + 6`.
    public var weekStart: Day
    /// Up to 8 week starts, oldest first; the last is `weekStart`.
    public var weeks: [Day]
    /// Per KPI, the values aligned with `weeks` (nil = missing). A KPI without an entry is missing every week.
    public var kpis: [KPI: [Double?]]
    /// The learner's ability estimates, oldest first; may be empty.
    public var abilityHistory: [AbilityPoint]
    /// Accuracy per topic during the week; may be empty.
    public var topics: [TopicAccuracy]
    /// The days of the week with their answers (days without answers may be left out or given zero attempts).
    public var days: [DailyActivity]
    public var generatedAt: Timestamp

    public init(
        userID: String, weekStart: Day, weeks: [Day], kpis: [KPI: [Double?]], abilityHistory: [AbilityPoint],
        topics: [TopicAccuracy], days: [DailyActivity], generatedAt: Timestamp
    ) {
        self.userID = userID
        self.weekStart = weekStart
        self.weeks = weeks
        self.kpis = kpis
        self.abilityHistory = abilityHistory
        self.topics = topics
        self.days = days
        self.generatedAt = generatedAt
    }

    /// The Sunday that ends the week.
    public var weekEnd: Day { weekStart.advanced(by: 6) }

    /// The weeks the sparklines span: `weeks`, or just `weekStart` when `weeks` is empty.
    public var chartWeeks: [Day] { weeks.isEmpty ? [weekStart] : weeks }

    /// A KPI's values for `chartWeeks`, oldest first: missing entries and values that are not finite are nil.
    public func series(_ kpi: KPI) -> [Double?] {
        let stored = kpis[kpi] ?? []
        let weeks = chartWeeks
        var values: [Double?] = []
        values.reserveCapacity(weeks.count)
        for index in weeks.indices {
            if index < stored.count, let value = stored[index], value.isFinite {
                values.append(value)
            } else {
                values.append(nil)
            }
        }
        return values
    }

    /// A KPI's value for the week starting `week`; nil when missing.
    public func value(_ kpi: KPI, week: Day) -> Double? {
        guard let index = chartWeeks.lastIndex(of: week), let values = kpis[kpi], index < values.count,
            let value = values[index], value.isFinite
        else { return nil }
        return value
    }

    /// A KPI's value this week; nil when missing.
    public func value(_ kpi: KPI) -> Double? { value(kpi, week: weekStart) }

    /// The rows of the KPI table, in `KPI.allCases` order.
    public var kpiRows: [KPIRow] {
        KPI.allCases.map { kpi in
            KPIRow(
                kpi: kpi, value: value(kpi), previous: value(kpi, week: weekStart.advanced(by: -7)),
                history: series(kpi))
        }
    }

    /// The answers of each day of the week, Monday first; days absent from `days` count as zero answers, entries
    /// outside the week are ignored, and several entries for one day are added up.
    public var weekDays: [DailyActivity] {
        var result = (0..<7).map { DailyActivity(day: weekStart.advanced(by: $0), attempts: 0, correct: 0) }
        for entry in days {
            let offset = weekStart.distance(to: entry.day)
            guard (0..<7).contains(offset) else { continue }
            result[offset].attempts &+= max(0, entry.attempts)
            result[offset].correct &+= max(0, min(entry.correct, entry.attempts))
        }
        return result
    }
}
