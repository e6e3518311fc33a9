import Foundation
import Postgres
import Storage
import Synchronization
import TestSupport
import Testing

/// Schema migrations: idempotent, safe when replicas run them together, and refusing a newer schema.
@Suite(.ownThreads) struct MigrationTests {
    @Test func migratingAgainAppliesNothing() throws {
        let database = try TestDatabase.create()
        #expect(try Migrator.migrate(database.pool, logger: TestServer.quietLogger) == [])
        let version = try database.pool.withConnection { try Migrator.currentVersion($0) }
        #expect(version == Migrations.latestVersion)
    }

    /// The indexes ingest pays for are the ones the stages need, in their cheapest form.
    @Test func attemptIndexesAreTheIntendedOnes() throws {
        let database = try TestDatabase.create()
        let indexes: [String] = try database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT i.relname || ' ' || am.amname || coalesce(' ' || array_to_string(i.reloptions, ','), '')
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
                WHERE x.indrelid = 'attempts'::regclass ORDER BY 1
                """
            ).rows.map { try $0.decode(0) }
        }
        #expect(
            indexes == [
                "attempts_by_answered_at brin", "attempts_by_item btree deduplicate_items=off", "attempts_pkey btree",
            ])
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            try connection.execute(
                """
                DROP SCHEMA public CASCADE; CREATE SCHEMA public;
                """)
        }
        let applied = Mutex<[[Int]]>([])
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let pool = PostgresPool(
                    configuration: .init(
                        connectionString: database.serverConnectionString, database: database.name, size: 1),
                    logger: TestServer.quietLogger)
                defer { pool.close() }
                let versions = (try? Migrator.migrate(pool, logger: TestServer.quietLogger)) ?? [-1]
                applied.withLock { $0.append(versions) }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        let results = applied.withLock { $0 }
        #expect(results.count == 4)
        #expect(results.filter { !$0.isEmpty }.count == 1, "exactly one replica applies the migrations")
        #expect(results.contains(Migrations.all.map(\.version)))
        let rows: Int = try database.pool.withConnection {
            try $0.query("SELECT count(*) FROM schema_migrations")[0].decode(0)
        }
        #expect(rows == Migrations.all.count)
    }

    /// Migrations 13 and 14: room for in-place updates where runs rewrite rows, and report contents (gzip already)
    /// neither compressed again nor moved out of line below a page, while a report larger than a page still stores.
    @Test func storageSettingsSuitWhatRunsWrite() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let options: [String] = try connection.query(
                """
                SELECT relname || ' ' || array_to_string(reloptions, ',') FROM pg_class
                WHERE relname IN ('features_topic_daily', 'mirt_ability', 'report_artifacts') ORDER BY 1
                """
            ).rows.map { try $0.decode(0) }
            #expect(
                options == [
                    "features_topic_daily fillfactor=50", "mirt_ability fillfactor=50",
                    "report_artifacts toast_tuple_target=8160",
                ])
            let storage: String = try connection.query(
                """
                SELECT attstorage::text FROM pg_attribute
                WHERE attrelid = 'report_artifacts'::regclass AND attname = 'content'
                """
            )[0].decode(0)
            #expect(storage == "e")
            // Compressible contents, which the default storage would have compressed.
            try connection.execute(
                """
                INSERT INTO report_artifacts (user_id, week_start, format, content, sha256, size_bytes, generated_at)
                SELECT 'u' || bytes, '2026-11-30', 'html', content, repeat('0', 64), length(content), now()
                FROM (VALUES (3000), (40000)) AS sizes (bytes),
                    LATERAL (SELECT convert_to(repeat('weekly ', bytes / 7), 'UTF8') AS content) repeated
                """)
            // Size on disk beyond the bytes: a 4-byte header inline, nothing for a value moved out of line.
            let stored: [String] = try connection.query(
                """
                SELECT user_id || ' ' || (length(content) = size_bytes) || ' '
                    || (pg_column_size(content) - size_bytes) || ' ' || (pg_column_compression(content) IS NULL)
                FROM report_artifacts ORDER BY user_id
                """
            ).rows.map { try $0.decode(0) }
            #expect(
                stored == ["u3000 true 4 true", "u40000 true 0 true"],
                "stored whole, not compressed again, inline below a page")
        }
    }

    @Test func aNewerSchemaIsRefusedClearly() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            _ = try connection.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')")
        }
        do {
            try Migrator.migrate(database.pool, logger: TestServer.quietLogger)
            Issue.record("a newer schema must be refused")
        } catch let error as MigrationError {
            #expect(error.description.contains("9999"))
            #expect(error.description.contains("newer seedtest-pipelines"))
        }
    }

    @Test func constraintsGuardTheData() throws {
        let database = try TestDatabase.create()
        let invalid: [PostgresQuery] = [
            "INSERT INTO attempts (user_id, item_id, correct, answered_at, hints) VALUES ('u', 'q', true, now(), -1)",
            "INSERT INTO attempts (user_id, item_id, correct, answered_at, response_time_ms) VALUES ('u', 'q', true, now(), -5)",
            "INSERT INTO attempts (user_id, item_id, correct, answered_at) VALUES ('', 'q', true, now())",
            "INSERT INTO attempts (user_id, item_id, correct, answered_at) VALUES ('u', repeat('q', 129), true, now())",
            // 129 characters of two bytes each: over the limit by characters, whatever the bytes say.
            """
            INSERT INTO attempts (user_id, item_id, correct, answered_at, topic_id)
            VALUES ('u', 'q', true, now(), repeat('é', 129))
            """,
            "INSERT INTO attempts (user_id, item_id, correct, answered_at, session_id) VALUES ('u', 'q', true, now(), '')",
            "INSERT INTO items (item_id, a) VALUES ('q', 0)",
            "INSERT INTO items (item_id, c) VALUES ('q', 1)",
            "INSERT INTO items (item_id, anchor, a) VALUES ('q', true, 1)",
            "INSERT INTO weekly_kpi (user_id, week_start, as_of) VALUES ('u', '2026-11-24', '2026-11-24')",
            "INSERT INTO weekly_kpi (user_id, week_start) VALUES ('u', '2026-11-23')",
            "INSERT INTO weekly_kpi (user_id, week_start, as_of) VALUES ('u', '2026-11-23', '2026-11-30')",
            "INSERT INTO pipeline_runs (stage, status) VALUES ('x', 'done')",
        ]
        // 128 characters is within the limit even when they take 256 bytes.
        try database.pool.withConnection {
            _ = try $0.query(
                "INSERT INTO attempts (user_id, item_id, correct, answered_at) VALUES (repeat('ü', 128), 'q', true, now())"
            )
        }
        for statement in invalid {
            do {
                try database.pool.withConnection { _ = try $0.query(statement) }
                Issue.record("should violate a constraint: \(statement)")
            } catch let error as PostgresError {
                #expect(error.isIntegrityViolation, "\(statement): \(error.debugDescription)")
            }
        }
    }
}
