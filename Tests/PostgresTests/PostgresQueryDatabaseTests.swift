import Postgres
import TestSupport
import Testing
import UTCTime

/// `PostgresQuery` against a real PostgreSQL: what is interpolated is bound, never executed.
@Suite struct PostgresQueryDatabaseTests {
    @Test func anInjectionAttemptIsBoundNotExecuted() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection throws in
            try connection.execute("CREATE TABLE victims (name text)")
            try connection.execute("INSERT INTO victims VALUES ('kept')")
            let hostile = "x'); DROP TABLE victims; --"
            let found = try connection.query("SELECT count(*) FROM victims WHERE name = \(hostile)")[0].decode(
                0, as: Int.self)
            #expect(found == 0)
            try connection.query("INSERT INTO victims (name) VALUES (\(hostile))")
            // Through execute (unprepared) and through a cursor, too.
            try connection.execute("INSERT INTO victims (name) VALUES (\(hostile))")
            var streamed: [String] = []
            try connection.transaction {
                try connection.stream("SELECT name FROM victims WHERE name = \(hostile)") {
                    streamed.append(try $0.decode(0))
                }
            }
            #expect(streamed == [hostile, hostile])
            let names = try connection.query("SELECT name FROM victims ORDER BY name").rows.map {
                try $0.decode(0, as: String.self)
            }
            #expect(names == ["kept", hostile, hostile])
        }
    }

    @Test func fragmentsRunWithTheirParametersRenumbered() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection throws in
            let filter: PostgresQuery = "g > \(3) AND g <= \(7)"
            let query: PostgresQuery = "SELECT count(*), \(100) FROM generate_series(1, \(10)) g WHERE \(filter)"
            let row = try connection.query(query)[0]
            #expect(try row.decode(0, as: Int.self) == 4)
            #expect(try row.decode(1, as: Int.self) == 100)
        }
    }

    @Test func copyWritesItsParametersAsEscapedLiterals() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection throws in
            let tricky = "it's \\ \"quoted\"; DROP TABLE attempts; --"
            let since = try #require(Timestamp(rfc3339: "2026-11-26T10:00:00.5Z"))
            let missing: String? = nil
            var rows = 0
            try connection.copyOut(
                """
                COPY (SELECT \(tricky)::text = \(tricky), \(since) = timestamptz '2026-11-26T10:00:00.5Z',
                    \(missing) IS NULL, \(["a'b", "c"]) = ARRAY['a''b', 'c'], octet_length(\(ByteArray([0, 255, 39])))
                ) TO STDOUT (FORMAT binary)
                """
            ) { (row: CopyOutRow) throws in
                rows += 1
                for field in 0..<4 { #expect(try row.bytes(field)?.first == 1, "field \(field)") }
                #expect(try row.integer(4) == 3)
            }
            #expect(rows == 1)
            #expect(try connection.query("SELECT to_regclass('attempts') IS NOT NULL")[0].decode(0, as: Bool.self))
        }
    }

    @Test func aMissingRowThrowsInsteadOfTrapping() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection throws in
            let result = try connection.query("SELECT 1 WHERE false")
            #expect(result.first == nil)
            do {
                _ = try result[0]
                Issue.record("row 0 of an empty result should throw")
            } catch let error as PostgresError {
                #expect(error.kind == .decoding)
            }
            #expect(throws: PostgresError.self) { try connection.query("SELECT 1")[-1] }
            #expect(throws: PostgresError.self) { try connection.query("SELECT 1")[1] }
        }
    }

    @Test func copyOutRowsRefuseAFieldTheyDoNotHave() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection throws in
            var failures = 0
            try connection.copyOut("COPY (SELECT 1::int4) TO STDOUT (FORMAT binary)") { (row: CopyOutRow) throws in
                #expect(try row.integer(0) == 1)
                do {
                    _ = try row.bytes(1)
                } catch {
                    failures += 1
                }
            }
            #expect(failures == 1)
        }
    }
}
