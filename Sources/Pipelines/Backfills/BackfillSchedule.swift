import JSON
import UTCTime

/// The nightly schedule replayed over a backfill's days, oldest first. On day `d` (the `n`-th of the range): the
/// features for `d`; a calibration as of `d` when `n` is a multiple of `calibrate_every_days` or `d` is the last day;
/// the KPIs as of `d`; and when `d` is a Sunday, the weekly report of the week that ended with it. A day's runs go in
/// the order deploy/'s CronJobs run them the morning after `d` (KPIs 02:10, features 02:25, calibration 03:00, the
/// Monday report 04:00), so a KPI run sees the calibrations the nightly one would have seen. Every other parameter is
/// the stage's ordinary default, so the history left equals the nightly runs'.
public struct BackfillSchedule: Sendable {
    /// One run of the replay.
    public struct Step: Sendable {
        public let stage: Stage
        public let day: Day
        /// The run's JSON parameters, as a trigger would send them.
        public let body: JSONObject
    }

    public let request: BackfillRequest

    public init(_ request: BackfillRequest) {
        self.request = request
    }

    /// The runs of the day at `index` (0 for `from`), in the order they run.
    public func steps(dayAt index: Int) -> [Step] {
        let day = request.from.advanced(by: index)
        var steps: [Step] = []
        for stage in Self.nightlyOrder where request.stages.contains(stage) {
            switch stage {
            case .aggregateFeaturesDaily, .computeDailyKPIs:
                steps.append(step(stage, day, [("date", .string(day.iso))]))
            case .calibrateIRT:
                if (index + 1) % request.calibrateEveryDays == 0 || day == request.to {
                    steps.append(step(stage, day, [("date", .string(day.iso))]))
                }
            case .generateWeeklyReport:
                if day.isoWeekday == 7 {
                    steps.append(step(stage, day, [("week_start", .string(day.weekStart.iso))]))
                }
            case .detectInactivity:
                // About now, not about a day: never part of a replay (`BackfillRequest` refuses it).
                continue
            }
        }
        return steps
    }

    /// The stages in the order of their CronJobs' time of day (`StageSchedules.cronJobDefaults`, `minute hour …`).
    static let nightlyOrder: [Stage] = StageSchedules.cronJobDefaults.map { stage, expression in
        let fields = expression.split(separator: " ").compactMap { Int($0) }
        let minuteOfDay = fields.count >= 2 ? fields[1] * 60 + fields[0] : Int.max
        return (stage, minuteOfDay)
    }
    .sorted { ($0.1, $0.0.rawValue) < ($1.1, $1.0.rawValue) }.map(\.0)

    /// Every step's validated run request, per day; throws the first parameter a stage refuses.
    func stageRequests(today: Day) throws -> [[StageRequest]] {
        try (0..<request.dayCount).map { index in
            try steps(dayAt: index).map { step in
                try StageRequest.parse(stage: step.stage, body: step.body, today: today)
            }
        }
    }

    private func step(_ stage: Stage, _ day: Day, _ members: [(String, JSONValue)]) -> Step {
        var body = JSONObject(members)
        if request.dryRun { body["dry_run"] = .bool(true) }
        return Step(stage: stage, day: day, body: body)
    }
}
