extension Migrations {
    /// A run can end `cancelled` (at shutdown, when the grace period is over): rolled back, with the reason in
    /// `error`.
    static let cancelledRuns = """
        ALTER TABLE pipeline_runs
            DROP CONSTRAINT pipeline_runs_status_check,
            ADD CONSTRAINT pipeline_runs_status_check CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
            ADD CONSTRAINT pipeline_runs_cancelled_reason CHECK (status <> 'cancelled' OR error IS NOT NULL);
        """
}
