import Fields
import JSON
import UTCTime

/// A validated `POST /v1/backfills` body: the days to replay, the stages of the nightly schedule to replay on them,
/// how often to calibrate, and whether the runs are dry. `parameters` are the effective values (defaults filled in),
/// recorded in `backfills.params`.
public struct BackfillRequest: Sendable {
    /// The stages a backfill replays when none are named, in the order they run on a day.
    public static let defaultStages: [Stage] = [
        .aggregateFeaturesDaily, .calibrateIRT, .computeDailyKPIs, .generateWeeklyReport,
    ]
    /// The most days one backfill may replay.
    public static let maximumDays = 400

    public let from: Day
    public let to: Day
    /// The stages to replay, in schedule order (a subset of `defaultStages`).
    public let stages: [Stage]
    public let calibrateEveryDays: Int
    public let dryRun: Bool
    public let parameters: JSONObject
    /// The client's `Idempotency-Key`, if any: a retry with the same key and body within 24 h starts no second
    /// backfill but answers the one the key started (`IdempotencyKeys`, scope `backfill`).
    public var idempotencyKey: String? = nil

    /// The number of days replayed.
    public var dayCount: Int { from.distance(to: to) + 1 }

    /// Validates a backfill's JSON body (everything but `from` optional). `today` is the UTC day the default of `to`
    /// (yesterday) is taken from; a `from` after `to`, a `to` in the future (`FieldReader.day`), more than
    /// `maximumDays` days, or a stage that is not part of the nightly replay is a `FieldError` naming the field.
    public static func parse(body: JSONObject, today: Day) throws(FieldError) -> BackfillRequest {
        let fields = FieldReader(json: body)
        try fields.rejectUnknown(["from", "to", "stages", "calibrate_every_days", "dry_run"])
        try fields.rejectNulls()
        guard let from = try fields.day("from") else {
            throw fields.failure("from", "is required: the first day to replay (YYYY-MM-DD)")
        }
        let to = try fields.day("to", default: today.advanced(by: -1))
        guard from <= to else { throw fields.failure("from", "(\(from.iso)) must not be after to (\(to.iso))") }
        let days = from.distance(to: to) + 1
        guard days <= maximumDays else {
            throw fields.failure("to", "must be at most \(maximumDays) days from 'from' (got \(days) days)")
        }
        let stages = try readStages(fields)
        let every = try fields.int("calibrate_every_days", default: 7, range: 1...maximumDays)
        let dryRun = try fields.bool("dry_run", default: false)
        let parameters = JSONObject([
            ("from", .string(from.iso)), ("to", .string(to.iso)),
            ("stages", .array(stages.map { .string($0.rawValue) })), ("calibrate_every_days", .int(Int64(every))),
            ("dry_run", .bool(dryRun)),
        ])
        return BackfillRequest(
            from: from, to: to, stages: stages, calibrateEveryDays: every, dryRun: dryRun, parameters: parameters)
    }

    /// The named stages in schedule order, or `defaultStages`; each must be one a backfill replays.
    private static func readStages(_ fields: FieldReader) throws(FieldError) -> [Stage] {
        let allowed = defaultStages.map(\.rawValue)
        guard let elements = try fields.list("stages", maxCount: 16, of: "stage names") else { return defaultStages }
        var named: Set<Stage> = []
        for (index, element) in elements.enumerated() {
            guard let name = element.string, let stage = Stage(rawValue: name), defaultStages.contains(stage) else {
                throw fields.failure(
                    "stages", "[\(index)] must be one of \(allowed.joined(separator: ", ")), got \(element.shown)")
            }
            named.insert(stage)
        }
        return defaultStages.filter(named.contains)
    }
}
