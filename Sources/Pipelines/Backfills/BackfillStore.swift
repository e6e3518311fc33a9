import JSON
import Postgres
import Storage
import UTCTime

/// Reads and writes `backfills`. A backfill says "running" only while its driver's connection holds `lockKey`; one
/// left "running" by a process that died is reported (and stored) as failed, "abandoned", like a run.
public enum BackfillStore {
    /// Held by the connection of the backfill that is running: one at a time across every replica.
    static let lockKey = AdvisoryLockKey(namespace: StorageLocks.namespace, name: "backfill")
    static let abandonedMessage = "abandoned: the process driving it stopped before it finished"

    static func insert(_ connection: PostgresConnection, request: BackfillRequest) throws -> BackfillRecord {
        try BackfillRecord(
            row: connection.query(
                """
                INSERT INTO backfills AS b (params, status, dry_run, days_total)
                VALUES (\(JSONValue.object(request.parameters)), 'running', \(request.dryRun), \(request.dayCount))
                RETURNING \(BackfillRecord.columns)
                """
            )[0])
    }

    /// Records the day being replayed, the run going on and the days finished.
    static func progress(
        _ connection: PostgresConnection, backfillID: Int64, day: Day, runID: Int64?, daysDone: Int
    ) throws {
        try connection.query(
            """
            UPDATE backfills SET current_day = \(day), current_run_id = coalesce(\(runID), current_run_id),
                days_done = \(daysDone)
            WHERE backfill_id = \(backfillID)
            """
        )
    }

    /// Records how a backfill ended.
    @discardableResult
    static func finish(
        _ connection: PostgresConnection, backfillID: Int64, status: BackfillRecord.Status, error: String?,
        failedRunID: Int64? = nil
    ) throws -> BackfillRecord? {
        let result = try connection.query(
            """
            UPDATE backfills AS b SET status = \(status.rawValue), error = \(error), failed_run_id = \(failedRunID),
                finished_at = clock_timestamp()
            WHERE backfill_id = \(backfillID) AND status = 'running'
            RETURNING \(BackfillRecord.columns)
            """
        )
        return result.rowCount > 0 ? try BackfillRecord(row: result[0]) : nil
    }

    /// Whether a cancel was asked for (and by which request).
    static func cancelRequest(_ connection: PostgresConnection, backfillID: Int64) throws -> String? {
        let result = try connection.query(
            """
            SELECT coalesce(cancel_request_id, 'unknown request') FROM backfills
            WHERE backfill_id = \(backfillID) AND cancel_requested_at IS NOT NULL
            """
        )
        return result.rowCount > 0 ? try result[0].decode(0) : nil
    }

    /// The outcome of asking to cancel a backfill.
    public enum CancelOutcome: Sendable {
        /// Marked; its driver stops it within a second.
        case requested(BackfillRecord)
        /// It had finished already.
        case finished(BackfillRecord)
        case unknown
    }

    /// Marks a running backfill to be cancelled (its driver polls the mark); `requestID` names who asked.
    public static func requestCancel(
        _ connection: PostgresConnection, backfillID: Int64, requestID: String
    ) throws -> CancelOutcome {
        try reconcileAbandoned(connection)
        let marked = try connection.query(
            """
            UPDATE backfills AS b
            SET cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp()),
                cancel_request_id = coalesce(cancel_request_id, \(requestID))
            WHERE backfill_id = \(backfillID) AND status = 'running'
            RETURNING \(BackfillRecord.columns)
            """
        )
        if marked.rowCount > 0 { return .requested(try BackfillRecord(row: marked[0])) }
        guard let record = try get(connection, backfillID: backfillID) else { return .unknown }
        return record.status == .running ? .requested(record) : .finished(record)
    }

    /// The running backfill's id, if any.
    static func runningBackfillID(_ connection: PostgresConnection) throws -> Int64? {
        let result = try connection.query(
            "SELECT backfill_id FROM backfills WHERE status = 'running' ORDER BY backfill_id DESC LIMIT 1")
        return result.rowCount > 0 ? try result[0].decode(0) : nil
    }

    /// One backfill, with an abandoned "running" row reported as failed.
    public static func get(_ connection: PostgresConnection, backfillID: Int64) throws -> BackfillRecord? {
        try reconcileAbandoned(connection)
        let result = try connection.query(
            "SELECT \(BackfillRecord.columns) FROM backfills b WHERE b.backfill_id = \(backfillID)")
        return result.rowCount > 0 ? try BackfillRecord(row: result[0]) : nil
    }

    /// Backfills newest first, `limit` at a time after the cursor (a backfill id).
    public static func list(_ connection: PostgresConnection, limit: Int, before: Int64?) throws -> [BackfillRecord] {
        try reconcileAbandoned(connection)
        return try connection.query(
            """
            SELECT \(BackfillRecord.columns) FROM backfills b
            WHERE \(before)::int8 IS NULL OR b.backfill_id < \(before)
            ORDER BY b.backfill_id DESC LIMIT \(limit)
            """
        ).rows.map(BackfillRecord.init(row:))
    }

    /// Fails the "running" backfill when no connection holds `lockKey` (its process died).
    public static func reconcileAbandoned(_ connection: PostgresConnection) throws {
        guard try runningBackfillID(connection) != nil, try !connection.isAdvisoryLockHeld(lockKey) else { return }
        try markAbandoned(connection)
    }

    /// Marks "running" backfills failed; only call while holding `lockKey` or having seen nobody holds it.
    static func markAbandoned(_ connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE backfills SET status = 'failed', error = \(abandonedMessage), finished_at = clock_timestamp()
            WHERE status = 'running'
            """
        )
    }
}
