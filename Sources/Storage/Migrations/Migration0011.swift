extension Migrations {
    /// Backfills (`POST /v1/backfills`): one row per backfill, replaying the nightly schedule over a range of days as
    /// ordinary runs, each of which names its backfill in `pipeline_runs.backfill_id`. At most one backfill runs at a
    /// time (the partial unique index; the driver also holds an advisory lock while it runs).
    static let backfills = """
        CREATE TABLE backfills (
            backfill_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
            status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
            dry_run boolean NOT NULL DEFAULT false,
            days_total integer NOT NULL CHECK (days_total >= 1),
            days_done integer NOT NULL DEFAULT 0 CHECK (days_done BETWEEN 0 AND days_total),
            current_day date,
            current_run_id bigint,
            error text,
            failed_run_id bigint,
            cancel_requested_at timestamptz,
            cancel_request_id text,
            created_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            CHECK ((status = 'running') = (finished_at IS NULL)),
            CHECK (status NOT IN ('failed', 'cancelled') OR error IS NOT NULL)
        );
        CREATE UNIQUE INDEX backfills_one_running ON backfills ((true)) WHERE status = 'running';
        ALTER TABLE pipeline_runs ADD COLUMN backfill_id bigint REFERENCES backfills (backfill_id);
        CREATE INDEX pipeline_runs_by_backfill ON pipeline_runs (backfill_id, run_id) WHERE backfill_id IS NOT NULL;
        """
}
