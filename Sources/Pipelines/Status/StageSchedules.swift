/// When each stage is scheduled: the CronJobs of `deploy/` by default, any of them replaced by configuration
/// (`STAGE_SCHEDULES`, `compute-daily-kpis=10 2 * * *;detect-inactivity=0 5 * * *`).
public struct StageSchedules: Sendable, Equatable {
    public private(set) var byStage: [Stage: CronSchedule]

    /// The schedules of `deploy/cronjob-*.yaml` (UTC).
    public static let cronJobDefaults: [Stage: String] = [
        .computeDailyKPIs: "10 2 * * *",
        .aggregateFeaturesDaily: "25 2 * * *",
        .calibrateIRT: "0 3 * * *",
        .generateWeeklyReport: "0 4 * * 1",
        .detectInactivity: "0 5 * * *",
    ]

    /// The CronJob times alone (the literals above parse; one that did not would only be missing from `/v1/status`).
    public static var defaults: StageSchedules {
        StageSchedules(byStage: cronJobDefaults.compactMapValues { try? CronSchedule($0) })
    }

    init(byStage: [Stage: CronSchedule]) {
        self.byStage = byStage
    }

    /// The defaults with the overrides of `text` (`stage=expression` separated by `;`; nil or empty keeps them all).
    public init(overrides text: String?) throws(CronError) {
        var byStage: [Stage: CronSchedule] = [:]
        for (stage, expression) in Self.cronJobDefaults { byStage[stage] = try CronSchedule(expression) }
        for entry in (text ?? "").split(separator: ";") where !entry.allSatisfy({ $0 == " " }) {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let name = parts.first.map { $0.trimmingCharacters(in: " ") } ?? ""
            guard parts.count == 2, let stage = Stage(rawValue: name) else {
                throw CronError(
                    "'\(entry)' must be stage=expression with a stage among "
                        + Stage.allCases.map(\.rawValue).joined(separator: ", "))
            }
            do {
                byStage[stage] = try CronSchedule(String(parts[1]))
            } catch {
                throw CronError("\(stage.rawValue): \(error.description)")
            }
        }
        self.byStage = byStage
    }

    public subscript(stage: Stage) -> CronSchedule? { byStage[stage] }
}

extension StringProtocol {
    /// The text without leading and trailing occurrences of `character`.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
