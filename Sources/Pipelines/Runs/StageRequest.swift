import Fields
import IRT
import JSON
import UTCTime

/// A validated request to run a stage: its typed parameters and the effective parameters (defaults filled in)
/// recorded in `pipeline_runs.params`.
public struct StageRequest: Sendable {
    public let stage: Stage
    public let dryRun: Bool
    public let parameters: JSONObject
    let job: any StageJob
    /// The W3C trace id of the request that started the run, carried on the run's log lines.
    public var traceID: String?

    /// Validates a run's JSON parameters (all optional). `today` is the UTC day the defaults are taken from.
    public static func parse(stage: Stage, body: JSONObject, today: Day) throws(FieldError) -> StageRequest {
        var reader = ParameterReader(body)
        let job: any StageJob
        switch stage {
        case .computeDailyKPIs:
            job = ComputeDailyKPIsJob(
                asOf: try reader.day("date", default: today),
                lookbackDays: try reader.int("lookback_days", default: 30, range: 1...365),
                userIDs: try reader.identifiers("user_ids", maxCount: 100_000))
        case .aggregateFeaturesDaily:
            job = AggregateFeaturesJob(
                lastDay: try reader.day("date", default: today.advanced(by: -1)),
                lookbackDays: try reader.int("lookback_days", default: 7, range: 1...90))
        case .detectInactivity:
            let threshold = try reader.int("threshold_days", default: 7, range: 1...365)
            let maximum = try reader.int("max_days", default: 90, range: 1...3650)
            guard maximum > threshold else {
                throw reader.fields.failure("max_days", "(\(maximum)) must exceed threshold_days (\(threshold))")
            }
            job = DetectInactivityJob(today: today, thresholdDays: threshold, maxDays: maximum)
        case .calibrateIRT:
            let model = try reader.oneOf("model", default: IRTModel.twoPL)
            job = CalibrationJob(
                today: today, lookbackDays: try reader.int("lookback_days", default: 30, range: 1...365),
                model: model, topicID: try reader.identifier("topic_id"),
                maxObservations: try reader.int("max_obs", range: 100...50_000_000),
                minimumItemResponses: try reader.int("min_item_responses", default: 30, range: 1...1_000_000),
                version: try reader.identifier("version", default: "v1", maximumLength: 64),
                updateItems: try reader.bool("update_items", default: false))
        case .generateWeeklyReport:
            let week = try reader.weekStart("week_start", default: today.weekStart.advanced(by: -7))
            job = GenerateWeeklyReportJob(
                weekStart: week, userIDs: try reader.identifiers("user_ids", maxCount: 100_000),
                maxUsers: try reader.int("max_users", range: 1...10_000_000),
                upload: try reader.bool("upload", default: false))
        }
        let dryRun = try reader.bool("dry_run", default: false)
        try reader.finish()
        return StageRequest(stage: stage, dryRun: dryRun, parameters: reader.effective, job: job)
    }
}

/// The work of one stage. `execute` runs inside the run's transaction on the run's own connection and returns the
/// counts recorded with the run; it must not commit. `validate` checks, before a run is recorded, that the
/// configured services allow the request.
protocol StageJob: Sendable {
    func validate(_ services: StageServices) throws(FieldError)
    func execute(_ context: RunContext) throws -> JSONObject
}

extension StageJob {
    func validate(_ services: StageServices) throws(FieldError) {}
}
