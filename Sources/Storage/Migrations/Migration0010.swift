extension Migrations {
    /// A run can be cancelled by request from any replica, and shows its progress to every replica: the cancel route
    /// sets `cancel_requested_at` and `cancel_request_id` (only while the run is running), the owning replica's run
    /// monitor reads them and writes `progress` (`{phase, done, total}`) outside the run's transaction. Finished runs
    /// have `progress` cleared.
    static let runCancelAndProgress = """
        ALTER TABLE pipeline_runs
            ADD COLUMN cancel_requested_at timestamptz,
            ADD COLUMN cancel_request_id text,
            ADD COLUMN progress jsonb;
        """
}
