import JSON
import UTCTime

/// A validated request to run a stage: its typed parameters and the effective parameters (defaults filled in)
/// recorded in `pipeline_runs.params`.
public struct StageRequest: Sendable {
    public let stage: Stage
    public let dryRun: Bool
    public let parameters: JSONObject
    let job: any StageJob

    /// Validates a run's JSON parameters (all optional). `today` is the UTC day the defaults are taken from.
    public static func parse(stage: Stage, body: JSONObject, today: Day) throws(ParameterError) -> StageRequest {
        var reader = ParameterReader(body)
        let job: any StageJob
        switch stage {
        case .computeDailyKPIs:
            job = ComputeDailyKPIsJob(
                asOf: try reader.day("date", default: today),
                lookbackDays: try reader.int("lookback_days", default: 30, range: 1...365)!,
                userIDs: try reader.identifiers("user_ids", maxCount: 100_000))
        case .aggregateFeaturesDaily:
            job = AggregateFeaturesJob(
                lastDay: try reader.day("date", default: today.advanced(by: -1)),
                lookbackDays: try reader.int("lookback_days", default: 7, range: 1...90)!)
        case .detectInactivity:
            let threshold = try reader.int("threshold_days", default: 7, range: 1...365)!
            let maximum = try reader.int("max_days", default: 90, range: 1...3650)!
            guard maximum > threshold else {
                throw ParameterError(
                    field: "max_days", message: "max_days (\(maximum)) must exceed threshold_days (\(threshold))")
            }
            job = DetectInactivityJob(today: today, thresholdDays: threshold, maxDays: maximum)
        case .calibrateIRT, .generateWeeklyReport:
            throw ParameterError(field: "stage", message: "\(stage.rawValue) is not available in this build")
        }
        let dryRun = try reader.bool("dry_run", default: false)
        try reader.finish()
        return StageRequest(stage: stage, dryRun: dryRun, parameters: reader.effective, job: job)
    }
}

/// The work of one stage. `execute` runs inside the run's transaction on the run's own connection and returns the
/// counts recorded with the run; it must not commit.
protocol StageJob: Sendable {
    func execute(_ context: RunContext) throws -> JSONObject
}
