import Postgres
import Storage
import TestSupport
import Testing

/// Migration 8 gives the rows written before it an `as_of` day: the UTC day of `fitted_at` for the calibration
/// tables, the UTC day of `updated_at` capped to the week for `weekly_kpi`.
@Suite(.ownThreads) struct AsOfMigrationTests {
    @Test func existingRowsGetTheUTCDayTheyWereWrittenOn() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            try connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            try connection.execute(
                """
                CREATE TABLE schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            for migration in Migrations.all where migration.version <= 7 {
                try connection.execute(PostgresQuery(unsafeSQL: migration.sql))
                try connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            }
            try connection.execute(
                """
                INSERT INTO pipeline_runs (stage, status, finished_at) VALUES ('calibrate-irt', 'succeeded', now());
                INSERT INTO mirt_ability (user_id, version, theta, se, model, run_id, fitted_at)
                VALUES ('u1', 'v1', 0.5, 0.2, '2PL', 1, '2026-11-08T23:30:00-02:00');
                INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at)
                VALUES ('u1', 'v1', 0.5, 0.2, '2PL', 1, '2026-11-08T23:30:00-02:00');
                INSERT INTO mirt_item_params (item_id, version, model, params, n_responses, run_id, fitted_at)
                VALUES ('q1', 'v1', '2PL', '{"a": 1}', 10, 1, '2026-11-08T03:00:00Z');
                INSERT INTO mirt_item_params_history (item_id, version, model, params, n_responses, run_id, fitted_at)
                VALUES ('q1', 'v1', '2PL', '{"a": 1}', 10, 1, '2026-11-08T03:00:00Z');
                INSERT INTO weekly_kpi (user_id, week_start, kpis, updated_at) VALUES
                    ('mid-week', '2026-11-23', '{}', '2026-11-25T02:10:00Z'),
                    ('next-monday', '2026-11-23', '{}', '2026-11-30T02:10:00Z');
                """)
        }
        #expect(
            try Migrator.migrate(database.pool, logger: TestServer.quietLogger) == Array(8...Migrations.latestVersion))
        let days: [String] = try database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT 'ability ' || as_of FROM mirt_ability
                UNION ALL SELECT 'ability history ' || as_of FROM mirt_ability_history
                UNION ALL SELECT 'item ' || as_of FROM mirt_item_params
                UNION ALL SELECT 'item history ' || as_of FROM mirt_item_params_history
                UNION ALL SELECT user_id || ' ' || as_of FROM weekly_kpi
                ORDER BY 1
                """
            ).rows.map { try $0.decode(0) }
        }
        #expect(
            days == [
                "ability 2026-11-09", "ability history 2026-11-09", "item 2026-11-08", "item history 2026-11-08",
                "mid-week 2026-11-25", "next-monday 2026-11-29",
            ])
        let nullable: Int = try database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT count(*) FROM information_schema.columns
                WHERE column_name = 'as_of' AND is_nullable = 'YES' AND table_schema = 'public'
                """
            )[0].decode(0)
        }
        #expect(nullable == 0, "as_of is NOT NULL everywhere")
    }
}
