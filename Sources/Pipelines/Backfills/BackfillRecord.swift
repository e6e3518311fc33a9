import JSON
import Postgres
import UTCTime

/// One row of `backfills`, as the API shows it, with the ids of its runs so far.
public struct BackfillRecord: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case running, succeeded, failed, cancelled
    }

    public var backfillID: Int64
    public var status: Status
    public var parameters: JSONObject
    public var dryRun: Bool
    public var daysTotal: Int
    public var daysDone: Int
    /// The day being replayed (the last one once finished).
    public var currentDay: Day?
    public var currentRunID: Int64?
    /// Its runs, oldest first.
    public var runIDs: [Int64]
    /// Why it failed (the first failed run's error) or was cancelled.
    public var error: String?
    public var failedRunID: Int64?
    public var cancelRequestedAt: Timestamp?
    public var createdAt: Timestamp
    public var finishedAt: Timestamp?

    public var json: JSONValue {
        .object(
            JSONObject([
                ("backfill_id", .int(backfillID)), ("status", .string(status.rawValue)),
                ("params", .object(parameters)),
                ("dry_run", .bool(dryRun)), ("days_total", .int(Int64(daysTotal))),
                ("days_done", .int(Int64(daysDone))), ("current_day", .optional(currentDay?.iso)),
                ("current_run_id", currentRunID.map { .int($0) } ?? .null),
                ("run_ids", .array(runIDs.map { .int($0) })), ("error", .optional(error)),
                ("failed_run_id", failedRunID.map { .int($0) } ?? .null),
                ("cancel_requested_at", .optional(cancelRequestedAt?.rfc3339)),
                ("created_at", .string(createdAt.rfc3339)), ("finished_at", .optional(finishedAt?.rfc3339)),
            ]))
    }

    /// The columns `init(row:)` reads, from `backfills` aliased `b`.
    static let columns: PostgresQuery = """
        b.backfill_id, b.status, b.params, b.dry_run, b.days_total, b.days_done, b.current_day, b.current_run_id,
        (SELECT coalesce(jsonb_agg(r.run_id ORDER BY r.run_id), '[]') FROM pipeline_runs r
         WHERE r.backfill_id = b.backfill_id),
        b.error, b.failed_run_id, b.cancel_requested_at, b.created_at, b.finished_at
        """

    init(row: PostgresRow) throws {
        backfillID = try row.decode(0)
        status = Status(rawValue: try row.decode(1)) ?? .failed
        parameters = try row.decode(2, as: JSONValue.self).objectValue ?? JSONObject()
        dryRun = try row.decode(3)
        daysTotal = try row.decode(4)
        daysDone = try row.decode(5)
        currentDay = try row.decode(6)
        currentRunID = try row.decode(7)
        runIDs = (try row.decode(8, as: JSONValue.self).arrayValue ?? []).compactMap(\.intValue)
        error = try row.decode(9)
        failedRunID = try row.decode(10)
        cancelRequestedAt = try row.decode(11)
        createdAt = try row.decode(12)
        finishedAt = try row.decode(13)
    }
}
