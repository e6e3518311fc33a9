import JSON
import Postgres

/// Cancel requests and progress in `pipeline_runs` (migration 10): written outside any run's transaction, so that
/// every replica sees them at once.
extension RunStore {
    /// What a cancel request found.
    public enum CancelOutcome: Sendable {
        /// The run was running; the request is recorded (the first request's id is kept) and the run's owner stops it.
        case requested(RunRecord)
        /// The run had already finished; nothing changed.
        case finished(RunRecord)
        /// No such run.
        case unknown
    }

    /// Records a cancel request for a running run, naming the request; the owning replica's monitor sees it within
    /// `PipelineRunner.monitorInterval` and cancels the run. A run left running by a dead process is first reported
    /// abandoned (so it is `finished`).
    public static func requestCancel(_ connection: PostgresConnection, runID: Int64, requestID: String) throws
        -> CancelOutcome
    {
        try reconcileAbandoned(connection, runID: runID)
        let updated = try connection.query(
            """
            UPDATE pipeline_runs
            SET cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp()),
                cancel_request_id = coalesce(cancel_request_id, \(requestID))
            WHERE run_id = \(runID) AND status = 'running'
            RETURNING \(RunRecord.columns)
            """)
        if updated.rowCount > 0 { return .requested(try RunRecord(row: updated[0])) }
        guard let record = try get(connection, runID: runID) else { return .unknown }
        return record.status == .running ? .requested(record) : .finished(record)
    }

    /// Writes a running run's progress (nil leaves it as it is) and returns the id of the request that asked to
    /// cancel it, if any. Nothing is written once the run has finished, nor while another session updates the row (the
    /// run's own transaction recording its end, or a cancel request): the monitor never waits, it tries again. The
    /// lock is `FOR NO KEY UPDATE`, which does not conflict with the `FOR KEY SHARE` locks the run's own transaction
    /// holds on its row once it has inserted rows referencing it (report artifacts, calibration tables): with
    /// `FOR UPDATE` every step after the first such insert skipped the row, freezing progress and remote cancels.
    static func reportProgress(_ connection: PostgresConnection, runID: Int64, progress: JSONValue?) throws
        -> (running: Bool, cancelRequestID: String?)
    {
        let result = try connection.query(
            """
            UPDATE pipeline_runs SET progress = coalesce(\(progress)::jsonb, progress)
            WHERE run_id = (
                SELECT run_id FROM pipeline_runs WHERE run_id = \(runID) AND status = 'running' FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING cancel_requested_at IS NOT NULL, cancel_request_id
            """)
        guard result.rowCount > 0 else { return (false, nil) }
        let requested: Bool = try result[0].decode(0)
        let requestID: String? = try result[0].decode(1)
        return (true, requested ? requestID ?? "unknown" : nil)
    }

    /// The reason recorded for a run cancelled by a request.
    public static func cancelReason(requestID: String) -> String {
        "cancelled by request \(requestID)"
    }
}
