extension Migrations {
    /// The run references of the tables a run writes in bulk, checked once per statement instead of once per row.
    ///
    /// A foreign key checks each inserted or updated row with its own lookup of `pipeline_runs`. A run writes all its
    /// rows with one `run_id`, so that lookup is the same 375,913 times for the features of a week; on the bench data
    /// it cost more than the rows themselves (COPY of a week's features 3.7 s with the key, 1.4 s with this check).
    /// The check keeps what the key guaranteed:
    /// - After each statement that inserts or updates rows of `features_topic_daily`, `mirt_item_params`,
    ///   `mirt_item_params_history`, `mirt_ability`, `mirt_ability_history` or `report_artifacts`, every distinct
    ///   non-null `run_id` it wrote must name a run. Each run is locked `FOR KEY SHARE`, as the key's check locks it,
    ///   so a concurrent delete of the run waits for the writer and then fails.
    /// - Deleting runs fails while any of those tables still names one of them. The check reads the rows committed
    ///   when it runs, so a delete must run in a READ COMMITTED transaction (the default): in REPEATABLE READ or
    ///   SERIALIZABLE it could miss a writer that committed while the delete waited for its lock, so it is refused
    ///   there. Nothing in the service deletes runs.
    /// - Truncating `pipeline_runs` fails while any of those tables has rows (the keys refused it unless cascaded), so
    ///   no table is left naming runs that are gone, whose ids `RESTART IDENTITY` would hand out again.
    /// - A run's id never changes (it is an identity column; the key would only have refused a referenced one).
    /// - `mirt_fit_meta` (one row per run) keeps its key.
    ///
    /// The history tables' `(id, fitted_at DESC)` indexes go too: since migration 8 every lookup orders by `as_of`, and
    /// the `(id, as_of DESC, run_id DESC)` indexes serve it.
    ///
    /// `namingTables` is this migration's own list, as SQL literals: a table added later gets its triggers, and the
    /// `pipeline_runs` triggers their new list, in a migration of its own.
    static let runReferencesPerStatement = """
        CREATE FUNCTION seedtest_check_run_ids() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            wanted bigint[];
            locked integer;
            missing bigint;
        BEGIN
            SELECT array_agg(DISTINCT run_id) INTO wanted FROM written WHERE run_id IS NOT NULL;
            IF wanted IS NULL THEN
                RETURN NULL;
            END IF;
            SELECT count(*) INTO locked FROM (SELECT FROM pipeline_runs WHERE run_id = ANY (wanted) FOR KEY SHARE) runs;
            IF locked < cardinality(wanted) THEN
                SELECT min(id) INTO missing FROM unnest(wanted) id
                WHERE NOT EXISTS (SELECT FROM pipeline_runs WHERE run_id = id);
                RAISE EXCEPTION 'insert or update on table "%" names run_id %, which is not in pipeline_runs',
                    TG_TABLE_NAME, missing
                    USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = 'run_id';
            END IF;
            RETURN NULL;
        END
        $$;

        CREATE FUNCTION seedtest_check_runs_unreferenced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            child text;
            referenced bigint;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF current_setting('transaction_isolation') <> 'read committed' AND EXISTS (SELECT FROM removed) THEN
                    RAISE EXCEPTION 'runs can be deleted only in a READ COMMITTED transaction, not %',
                        upper(current_setting('transaction_isolation'))
                        USING ERRCODE = 'object_not_in_prerequisite_state', TABLE = 'pipeline_runs';
                END IF;
            END IF;
            FOREACH child IN ARRAY TG_ARGV LOOP
                IF TG_OP = 'TRUNCATE' THEN
                    EXECUTE format('SELECT min(run_id) FROM %I', child) INTO referenced;
                ELSE
                    EXECUTE format(
                        'SELECT min(run_id) FROM removed WHERE EXISTS (SELECT FROM %I c WHERE c.run_id = removed.run_id)',
                        child) INTO referenced;
                END IF;
                IF referenced IS NOT NULL THEN
                    RAISE EXCEPTION '% on table "pipeline_runs" removes run %, which table "%" still names',
                        lower(TG_OP), referenced, child
                        USING ERRCODE = 'foreign_key_violation', TABLE = child, COLUMN = 'run_id';
                END IF;
            END LOOP;
            RETURN NULL;
        END
        $$;

        CREATE FUNCTION seedtest_keep_run_id() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the run_id of run % cannot change', OLD.run_id
                USING ERRCODE = 'foreign_key_violation', TABLE = 'pipeline_runs', COLUMN = 'run_id';
        END
        $$;

        DO $$
        DECLARE
            child text;
        BEGIN
            FOREACH child IN ARRAY ARRAY[\(namingTables)] LOOP
                EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, child || '_run_id_fkey');
                EXECUTE format(
                    'CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS written FOR EACH STATEMENT '
                    'EXECUTE FUNCTION seedtest_check_run_ids()', child || '_runs_inserted', child);
                EXECUTE format(
                    'CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS written FOR EACH STATEMENT '
                    'EXECUTE FUNCTION seedtest_check_run_ids()', child || '_runs_updated', child);
            END LOOP;
        END
        $$;

        CREATE TRIGGER pipeline_runs_removed AFTER DELETE ON pipeline_runs
            REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
            EXECUTE FUNCTION seedtest_check_runs_unreferenced(\(namingTables));
        CREATE TRIGGER pipeline_runs_truncated BEFORE TRUNCATE ON pipeline_runs
            FOR EACH STATEMENT EXECUTE FUNCTION seedtest_check_runs_unreferenced(\(namingTables));
        CREATE TRIGGER pipeline_runs_id_kept BEFORE UPDATE OF run_id ON pipeline_runs
            FOR EACH ROW WHEN (OLD.run_id IS DISTINCT FROM NEW.run_id) EXECUTE FUNCTION seedtest_keep_run_id();

        DROP INDEX mirt_ability_history_by_user;
        DROP INDEX mirt_item_params_history_by_item;
        """

    private static let namingTables = [
        "features_topic_daily", "mirt_item_params", "mirt_item_params_history", "mirt_ability", "mirt_ability_history",
        "report_artifacts",
    ].map { "'\($0)'" }.joined(separator: ", ")
}
