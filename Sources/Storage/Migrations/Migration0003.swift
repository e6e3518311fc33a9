extension Migrations {
    /// Every write to `weekly_kpi` (by a run, another replica or an operator's SQL) notifies `seedtest_changes`, so
    /// that replicas can drop cached KPI reads the moment the change commits.
    static let changeNotifications = """
        CREATE FUNCTION seedtest_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('seedtest_changes', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER weekly_kpi_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weekly_kpi
            FOR EACH STATEMENT EXECUTE FUNCTION seedtest_notify_change();
        """
}
