import JSON
import Postgres

/// Reads and writes `pipeline_runs`. A run row says "running" only while its process holds the stage lock; a row
/// left "running" by a process that died is reported (and stored) as failed, "abandoned".
public enum RunStore {
    static let abandonedMessage = "abandoned: the process running it stopped before it finished"

    /// Records a new running run; long id lists in `parameters` are stored summarised (`RecordedParameters`).
    static func insert(
        _ connection: PostgresConnection, stage: Stage, parameters: JSONObject, dryRun: Bool, backfillID: Int64? = nil
    ) throws -> RunRecord {
        try RunRecord(
            row: connection.query(
                """
                INSERT INTO pipeline_runs (stage, params, status, dry_run, backfill_id)
                VALUES (\(stage.rawValue), \(JSONValue.object(RecordedParameters.compact(parameters))), 'running', \(dryRun),
                        \(backfillID))
                RETURNING \(RunRecord.columns)
                """
            )[0])
    }

    static func finish(_ connection: PostgresConnection, runID: Int64, counts: JSONObject) throws -> RunRecord {
        try RunRecord(
            row: connection.query(
                """
                UPDATE pipeline_runs
                SET status = 'succeeded', counts = \(JSONValue.object(counts)), finished_at = clock_timestamp(),
                    progress = NULL
                WHERE run_id = \(runID) RETURNING \(RunRecord.columns)
                """
            )[0])
    }

    /// Records how a run ended without succeeding: `failed` or `cancelled`, with `error` saying why (and `counts`, for
    /// a failure `{"insufficient_data": true}` when the data could not support the run).
    static func end(
        _ connection: PostgresConnection, runID: Int64, status: RunRecord.Status, error: String,
        counts: JSONObject = JSONObject()
    ) throws -> RunRecord {
        try RunRecord(
            row: connection.query(
                """
                UPDATE pipeline_runs SET status = \(status.rawValue), error = \(error), counts = \(JSONValue.object(counts)),
                    finished_at = clock_timestamp(), progress = NULL
                WHERE run_id = \(runID) RETURNING \(RunRecord.columns)
                """
            )[0])
    }

    /// Stores the outcome a client was told (status, error, counts and `finished_at` exactly as in `record`) for a run
    /// whose own connection could not (`PendingOutcomes`). It replaces a "running" row, or the abandoned mark another
    /// process's sweeper put on the row meanwhile, never any other outcome.
    static func recordOutcome(_ connection: PostgresConnection, _ record: RunRecord) throws {
        try connection.query(
            """
            UPDATE pipeline_runs
            SET status = \(record.status.rawValue), error = \(record.error), counts = \(JSONValue.object(record.counts)),
                finished_at = \(record.finishedAt), progress = NULL
            WHERE run_id = \(record.runID) AND (status = 'running' OR error = \(abandonedMessage))
            """
        )
    }

    /// Marks the stage's "running" rows failed; only call while holding the stage lock (so none is really running).
    ///
    /// A row started before the database server last started is left alone for `ownerReturnSeconds` after that start:
    /// its process may be alive and about to write the outcome it told its client (`PendingOutcomes`), which an
    /// abandoned mark would contradict. A process that died meanwhile has its row marked once the time is up.
    @discardableResult
    static func markAbandoned(_ connection: PostgresConnection, stage: String) throws -> Int {
        try connection.query(
            """
            UPDATE pipeline_runs
            SET status = 'failed', error = \(abandonedMessage), finished_at = clock_timestamp(), progress = NULL
            WHERE stage = \(stage) AND status = 'running'
              AND (started_at >= pg_postmaster_start_time()
                   OR clock_timestamp() >= pg_postmaster_start_time() + make_interval(secs => \(ownerReturnSeconds)))
            """
        ).affectedRows
    }

    /// How long after a database restart the runs it interrupted stay unswept, for their living owners to record them.
    static let ownerReturnSeconds = 5.0

    static func runningRunID(_ connection: PostgresConnection, stage: Stage) throws -> Int64? {
        let result = try connection.query(
            """
            SELECT run_id FROM pipeline_runs WHERE stage = \(stage.rawValue) AND status = 'running'
            ORDER BY run_id DESC LIMIT 1
            """
        )
        return result.rowCount > 0 ? try result[0].decode(0) : nil
    }

    /// One run, with an abandoned "running" row reported as failed.
    public static func get(_ connection: PostgresConnection, runID: Int64) throws -> RunRecord? {
        try reconcileAbandoned(connection, runID: runID)
        let result = try connection.query(
            "SELECT \(RunRecord.columns) FROM pipeline_runs WHERE run_id = \(runID)")
        return result.rowCount > 0 ? try RunRecord(row: result[0]) : nil
    }

    /// Runs newest first, optionally by stage and status, `limit` at a time after the cursor (a run id).
    public static func list(
        _ connection: PostgresConnection, stage: String?, status: String?, limit: Int, before: Int64?
    ) throws -> [RunRecord] {
        try reconcileAbandoned(connection, runID: nil)
        return try connection.query(
            """
            SELECT \(RunRecord.columns) FROM pipeline_runs
            WHERE (\(stage)::text IS NULL OR stage = \(stage)) AND (\(status)::text IS NULL OR status = \(status))
              AND (\(before)::int8 IS NULL OR run_id < \(before))
            ORDER BY run_id DESC LIMIT \(limit)
            """
        ).rows.map(RunRecord.init(row:))
    }

    /// Fails the "running" rows (of one run, or all) whose stage lock nobody holds.
    public static func reconcileAbandoned(_ connection: PostgresConnection, runID: Int64? = nil) throws {
        let running = try connection.query(
            """
            SELECT DISTINCT stage FROM pipeline_runs
            WHERE status = 'running' AND (\(runID)::int8 IS NULL OR run_id = \(runID))
            """
        )
        for row in running.rows {
            let name: String = try row.decode(0)
            guard let stage = Stage(rawValue: name) else {
                try markAbandoned(connection, stage: name)
                continue
            }
            if try !connection.isAdvisoryLockHeld(stage.lockKey) {
                try markAbandoned(connection, stage: name)
            }
        }
    }
}
