import Postgres
import Storage
import TestSupport
import Testing

/// Migration 12 checks the run references of the bulk tables once per statement instead of with per-row foreign
/// keys; everything the keys refused is still refused.
@Suite(.ownThreads) struct RunReferenceTests {
    /// One row of each bulk table naming `run` (a SQL expression), with every other required column filled.
    static func rows(naming run: String) -> [(table: String, insert: String)] {
        [
            (
                "features_topic_daily",
                """
                INSERT INTO features_topic_daily (user_id, topic_id, date, attempts, correct, hints, last_seen_at, run_id)
                VALUES ('u1', 't1', '2026-11-30', 1, 1, 0, now(), \(run))
                """
            ),
            (
                "mirt_item_params",
                """
                INSERT INTO mirt_item_params (item_id, version, model, params, n_responses, run_id, fitted_at, as_of)
                VALUES ('q1', 'v1', '2PL', '{}', 1, \(run), now(), '2026-11-30')
                """
            ),
            (
                "mirt_item_params_history",
                """
                INSERT INTO mirt_item_params_history (item_id, version, model, params, n_responses, run_id, fitted_at,
                    as_of)
                VALUES ('q1', 'v1', '2PL', '{}', 1, \(run), now(), '2026-11-30')
                """
            ),
            (
                "mirt_ability",
                """
                INSERT INTO mirt_ability (user_id, version, theta, se, model, run_id, fitted_at, as_of)
                VALUES ('u1', 'v1', 0, 1, '2PL', \(run), now(), '2026-11-30')
                """
            ),
            (
                "mirt_ability_history",
                """
                INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of)
                VALUES ('u1', 'v1', 0, 1, '2PL', \(run), now(), '2026-11-30')
                """
            ),
            (
                "report_artifacts",
                """
                INSERT INTO report_artifacts (user_id, week_start, format, content, sha256, size_bytes, run_id,
                    generated_at)
                VALUES ('u1', '2026-11-30', 'html', '\\x00', repeat('0', 64), 0, \(run), now())
                """
            ),
        ]
    }

    static func newRun(_ connection: PostgresConnection) throws -> Int64 {
        try connection.query(
            "INSERT INTO pipeline_runs (stage, status) VALUES ('calibrate-irt', 'running') RETURNING run_id"
        )[0].decode(0)
    }

    /// Runs `sql` and returns the SQLSTATE and message it failed with (nil when it succeeded), rolling back either way.
    static func failure(_ connection: PostgresConnection, _ sql: String) throws -> (state: String?, message: String)? {
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("ROLLBACK") }
        do {
            try connection.execute(PostgresQuery(unsafeSQL: sql))
            return nil
        } catch {
            return (error.sqlState, error.message)
        }
    }

    @Test func aMissingRunIsRefusedInEveryTable() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            for (table, insert) in Self.rows(naming: "424242") {
                let refused = try Self.failure(connection, insert)
                #expect(refused?.state == "23503", "\(table)")
                #expect(refused?.message.contains("\"\(table)\" names run_id 424242") == true, "\(table)")
            }
        }
    }

    @Test func rowsNamingARunOrNoneAreAccepted() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let run = try Self.newRun(connection)
            for (table, insert) in Self.rows(naming: "\(run)") {
                try connection.execute(PostgresQuery(unsafeSQL: insert))
                let count: Int = try connection.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table) WHERE run_id = \(run)"))[0].decode(0)
                #expect(count == 1, "\(table)")
            }
            // The nullable references accept null, as the key did.
            for (table, insert) in Self.rows(naming: "NULL")
            where ["features_topic_daily", "report_artifacts"].contains(table) {
                let moved = insert.replacingOccurrences(of: "'u1'", with: "'u2'")
                #expect(try Self.failure(connection, moved) == nil, "\(table)")
            }
        }
    }

    /// COPY and updates are statements like any other: a batch with one bad reference writes nothing.
    @Test func copiesAndUpdatesAreCheckedToo() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let run = try Self.newRun(connection)
            try connection.execute(PostgresQuery(unsafeSQL: Self.rows(naming: "\(run)")[3].insert))
            let update = try Self.failure(connection, "UPDATE mirt_ability SET run_id = 424243")
            #expect(update?.state == "23503")
            #expect(update?.message.contains("\"mirt_ability\" names run_id 424243") == true)
            // Rows of a real run, then one of a missing run, in one COPY (its own transaction).
            var copyFailure: PostgresError?
            do {
                _ = try connection.copyIn(
                    "COPY mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of) FROM STDIN"
                ) { writer in
                    for (index, runID) in [run, run, 424244].enumerated() {
                        writer.append("u\(index)")
                        writer.append("v1")
                        writer.append(0.0)
                        writer.append(1.0)
                        writer.append("2PL")
                        writer.append(Int(runID))
                        writer.append("2026-11-30T00:00:00Z")
                        writer.append("2026-11-30")
                        try writer.endRow()
                    }
                }
            } catch let error as PostgresError {
                copyFailure = error
            }
            #expect(copyFailure?.sqlState == "23503")
            let written: Int = try connection.query("SELECT count(*) FROM mirt_ability_history")[0].decode(0)
            #expect(written == 0, "the rows of the real run went with the COPY")
        }
    }

    @Test func aNamedRunCannotBeDeletedRenumberedOrTruncated() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            for (table, insert) in Self.rows(naming: "424245") {
                let run = try Self.newRun(connection)
                try connection.execute(
                    PostgresQuery(unsafeSQL: insert.replacingOccurrences(of: "424245", with: "\(run)")))
                let delete = try Self.failure(connection, "DELETE FROM pipeline_runs WHERE run_id = \(run)")
                #expect(delete?.state == "23503", "\(table)")
                #expect(delete?.message.contains("removes run \(run), which table \"\(table)\" still names") == true)
                let renumber = try Self.failure(
                    connection, "UPDATE pipeline_runs SET run_id = DEFAULT WHERE run_id = \(run)")
                #expect(renumber?.state == "23503", "\(table)")
                // Truncating the runs too, even with `mirt_fit_meta` (whose key alone would allow it): `RESTART
                // IDENTITY` would hand the named runs' ids to new runs.
                let truncate = try Self.failure(connection, "TRUNCATE pipeline_runs, mirt_fit_meta RESTART IDENTITY")
                #expect(truncate?.state == "23503", "\(table)")
                #expect(truncate?.message.contains("truncate on table \"pipeline_runs\" removes run \(run)") == true)
                try connection.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"))
                #expect(try Self.failure(connection, "DELETE FROM pipeline_runs WHERE run_id = \(run)") == nil)
            }
            #expect(try Self.failure(connection, "TRUNCATE pipeline_runs, mirt_fit_meta RESTART IDENTITY") == nil)
            #expect(
                try Self.failure(connection, "TRUNCATE pipeline_runs")?.state == "0A000", "mirt_fit_meta's key stays")
            let unnamed = try Self.newRun(connection)
            #expect(
                try Self.failure(connection, "UPDATE pipeline_runs SET run_id = DEFAULT WHERE run_id = \(unnamed)")?
                    .state == "23503", "no run is renumbered, named or not")
        }
    }

    /// The delete check reads the rows committed when it runs, which only READ COMMITTED guarantees.
    @Test func runsAreDeletedOnlyInReadCommitted() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let run = try Self.newRun(connection)
            let refused = try Self.failure(
                connection,
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; DELETE FROM pipeline_runs WHERE run_id = \(run)")
            #expect(refused?.state == "55000")
            #expect(refused?.message.contains("only in a READ COMMITTED transaction, not REPEATABLE READ") == true)
            #expect(try Self.failure(connection, "DELETE FROM pipeline_runs WHERE run_id = \(run)") == nil)
        }
    }

    /// A writer locks the runs it names as a key's check does, so whichever of a writer and a delete of the run comes
    /// second waits for the first (here until its lock timeout), and once the first commits, fails.
    @Test(arguments: [true, false]) func theSecondOfAWriterAndADeleteWaitsThenFails(writerFirst: Bool) throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { first in
            try database.pool.withConnection { second in
                let run = try Self.newRun(first)
                let insert = Self.rows(naming: "\(run)")[0].insert
                let delete = "DELETE FROM pipeline_runs WHERE run_id = \(run)"
                try first.execute("BEGIN")
                try first.execute(PostgresQuery(unsafeSQL: writerFirst ? insert : delete))
                try second.execute("SET lock_timeout = '300ms'")
                let late = writerFirst ? delete : insert
                #expect(try Self.failure(second, late)?.state == "55P03", "the second waits for the first's lock")
                try first.execute("COMMIT")
                #expect(try Self.failure(second, late)?.state == "23503")
            }
        }
    }

    /// Only `mirt_fit_meta` keeps a per-row key to `pipeline_runs`.
    @Test func onlyTheFitMetadataKeepsAKey() throws {
        let database = try TestDatabase.create()
        let referencing: [String] = try database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT conrelid::regclass::text FROM pg_constraint
                WHERE contype = 'f' AND confrelid = 'pipeline_runs'::regclass ORDER BY 1
                """
            ).rows.map { try $0.decode(0) }
        }
        #expect(referencing == ["mirt_fit_meta"])
    }
}
