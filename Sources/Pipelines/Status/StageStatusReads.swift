import JSON
import Postgres
import UTCTime

/// One stage as `pipeline_runs` shows it, dry runs and backfill steps left out (a backfill rebuilding old days says
/// nothing about whether the schedule runs): its latest run, latest success and latest failure.
public struct StageRunSummary: Sendable, Equatable {
    public var stage: String
    /// Finish of the latest successful run.
    public var lastSuccess: Timestamp?
    /// Finish of the latest failed run.
    public var lastFailure: Timestamp?
    /// The latest run (any status).
    public var latestRunID: Int64?
    public var latestStatus: RunRecord.Status?
    public var latestStartedAt: Timestamp?
    public var latestFinishedAt: Timestamp?
    public var latestError: String?
    /// While the latest run runs: `{phase, done, total}` as its monitor last wrote it (nil before the first report).
    public var latestProgress: JSONObject?

    public init(stage: String) {
        self.stage = stage
    }
}

/// Reads behind the stage metrics and `/v1/status`: one short indexed lookup per stage on `pipeline_runs_by_stage`,
/// and the progress of the running or latest backfill.
public enum StageStatusReads {
    /// The summary of each of `stages`, in that order (a stage that never ran has nils).
    public static func summaries(_ connection: PostgresConnection, stages: [String]) throws -> [StageRunSummary] {
        let rows = try connection.query(
            """
            SELECT s.stage,
                (SELECT finished_at FROM pipeline_runs
                 WHERE stage = s.stage AND status = 'succeeded' AND NOT dry_run AND backfill_id IS NULL
                 ORDER BY run_id DESC LIMIT 1),
                (SELECT finished_at FROM pipeline_runs
                 WHERE stage = s.stage AND status = 'failed' AND NOT dry_run AND backfill_id IS NULL
                 ORDER BY run_id DESC LIMIT 1),
                r.run_id, r.status, r.started_at, r.finished_at, r.error, r.progress
            FROM unnest(\(stages)::text[]) WITH ORDINALITY AS s(stage, position)
            LEFT JOIN LATERAL (
                SELECT run_id, status, started_at, finished_at, error, progress FROM pipeline_runs
                WHERE stage = s.stage AND NOT dry_run AND backfill_id IS NULL ORDER BY run_id DESC LIMIT 1
            ) r ON true
            ORDER BY s.position
            """)
        return try rows.rows.map(summary(_:))
    }

    static func summary(_ row: PostgresRow) throws -> StageRunSummary {
        let status: String? = try row.decode(4)
        var summary = StageRunSummary(stage: try row.decode(0))
        summary.lastSuccess = try row.decode(1)
        summary.lastFailure = try row.decode(2)
        summary.latestRunID = try row.decode(3)
        summary.latestStatus = status.flatMap { RunRecord.Status(rawValue: $0) }
        summary.latestStartedAt = try row.decode(5)
        summary.latestFinishedAt = try row.decode(6)
        summary.latestError = try row.decode(7)
        summary.latestProgress = try row.decode(8, as: JSONValue?.self)?.objectValue
        return summary
    }

    /// Days done and in all of the running or latest backfill; zeros when there is none.
    public static func backfillProgress(_ connection: PostgresConnection) throws -> (done: Int, total: Int) {
        let progress = try connection.query(
            """
            SELECT days_done::bigint, days_total::bigint FROM backfills
            ORDER BY status = 'running' DESC, backfill_id DESC LIMIT 1
            """)
        guard let latest = progress.first else { return (0, 0) }
        return (Int(try latest.decode(0, as: Int64?.self) ?? 0), Int(try latest.decode(1, as: Int64?.self) ?? 0))
    }
}
