import JSON
import Postgres
import UTCTime

/// One row of `pipeline_runs`, as the API shows it.
public struct RunRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        case running, succeeded, failed
        /// Rolled back on purpose (the service shut down before it finished, or a cancel request); `error` says why.
        case cancelled
    }

    public var runID: Int64
    public var stage: String
    public var status: Status
    public var parameters: JSONObject
    public var counts: JSONObject
    public var error: String?
    public var dryRun: Bool
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    /// While running: `{phase, done, total}` as last written by the run's monitor (nil before the first report).
    /// Cleared when the run finishes.
    public var progress: JSONObject?
    /// The backfill this run is a step of, if any.
    public var backfillID: Int64?

    public var durationMilliseconds: Int64? {
        finishedAt.map { ($0.microseconds - startedAt.microseconds) / 1000 }
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("run_id", .int(runID)), ("stage", .string(stage)), ("status", .string(status.rawValue)),
                ("dry_run", .bool(dryRun)), ("params", .object(parameters)), ("counts", .object(counts)),
                ("error", .optional(error)), ("started_at", .string(startedAt.rfc3339)),
                ("finished_at", .optional(finishedAt?.rfc3339)),
                ("duration_ms", durationMilliseconds.map { .int($0) } ?? .null),
                ("progress", progress.map { .object($0) } ?? .null),
                ("backfill_id", backfillID.map { .int($0) } ?? .null),
            ]))
    }

    static let columns: PostgresQuery = """
        run_id, stage, status, params, counts, error, dry_run, started_at, finished_at, progress, backfill_id
        """

    init(row: PostgresRow) throws {
        runID = try row.decode(0)
        stage = try row.decode(1)
        status = Status(rawValue: try row.decode(2)) ?? .failed
        parameters = try row.decode(3, as: JSONValue.self).objectValue ?? JSONObject()
        counts = try row.decode(4, as: JSONValue.self).objectValue ?? JSONObject()
        error = try row.decode(5)
        dryRun = try row.decode(6)
        startedAt = try row.decode(7)
        finishedAt = try row.decode(8)
        progress = try row.decode(9, as: JSONValue?.self)?.objectValue
        backfillID = try row.decode(10)
    }
}
