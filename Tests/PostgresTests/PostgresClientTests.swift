import Foundation
import JSON
import Postgres
import Synchronization
import TestSupport
import Testing
import UTCTime

/// The libpq client against a real throwaway PostgreSQL.
@Suite struct PostgresClientTests {
    @Test func decodesEveryTypeAndNull() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let row = try connection.query(
                """
                SELECT 'héllo'::text AS t, 42::int4 AS i, 9000000000::int8 AS big, 2.5::float8 AS d, true AS b,
                       '2026-11-25 23:59:59.999+00'::timestamptz AS ts, '2026-11-23'::date AS day,
                       '{"k": [1, 2.5, null]}'::jsonb AS doc, '\\x00ff10'::bytea AS raw, NULL::text AS missing,
                       12.125::numeric AS n, (-0.5)::numeric AS negative, 7::int2 AS small
                """
            )[0]
            #expect(try row.decode("t", as: String.self) == "héllo")
            #expect(try row.decode("i", as: Int.self) == 42)
            #expect(try row.decode("big", as: Int64.self) == 9_000_000_000)
            #expect(try row.decode("d", as: Double.self) == 2.5)
            #expect(try row.decode("b", as: Bool.self) == true)
            #expect(try row.decode("ts", as: Timestamp.self).rfc3339 == "2026-11-25T23:59:59.999Z")
            #expect(try row.decode("day", as: Day.self).iso == "2026-11-23")
            #expect(try row.decode("doc", as: JSONValue.self) == ["k": [1, 2.5, .null]])
            #expect(try row.decode("raw", as: ByteArray.self).bytes == [0x00, 0xFF, 0x10])
            #expect(try row.decode("missing", as: String?.self) == nil)
            #expect(try row.decode("n", as: Double.self) == 12.125)
            #expect(try row.decode("negative", as: Double.self) == -0.5)
            #expect(try row.decode("small", as: Int.self) == 7)
        }
    }

    @Test func decodingErrorsNameTheColumn() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let row = try connection.query("SELECT 'x'::text AS label, NULL::int4 AS empty")[0]
            do {
                _ = try row.decode("label", as: Int.self)
                Issue.record("decoding text as Int should fail")
            } catch let error as PostgresError {
                #expect(error.kind == .decoding)
                #expect(error.message.contains("\"label\""))
            }
            #expect(throws: PostgresError.self) { try row.decode("empty", as: Int.self) }
        }
    }

    @Test func parametersTravelSeparately() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let hostile = "'; DROP TABLE attempts; --"
            let echoed: String = try connection.query("SELECT \(hostile)::text")[0].decode(0)
            #expect(echoed == hostile)
            let list: Int = try connection.query(
                "SELECT cardinality(\(["a", "b\"c", "d\\e", "", "ü,{}"])::text[])")[0].decode(0)
            #expect(list == 5)
            let joined: String = try connection.query(
                "SELECT array_to_string(\(["b\"c", "d\\e", "ü,{}"])::text[], '|')")[0].decode(0)
            #expect(joined == "b\"c|d\\e|ü,{}")
            let optional: Int? = nil
            let isNull: Bool = try connection.query("SELECT \(optional)::int8 IS NULL")[0].decode(0)
            #expect(isNull)
            let count: Int = try connection.query("SELECT count(*) FROM attempts")[0].decode(0)
            #expect(count == 0)
        }
    }

    @Test func queryErrorsKeepTheSQLStateButDescribeGenerically() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            do {
                try connection.query("SELECT * FROM no_such_table WHERE secret = \("password123")")
                Issue.record("query should fail")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42P01")
                #expect(!error.description.contains("no_such_table"))
                #expect(!error.description.contains("password123"))
                #expect(error.debugDescription.contains("no_such_table"))
            }
            // The connection is still usable after a failed statement.
            #expect(try connection.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
        }
    }

    @Test func transactionRollsBackOnThrow() throws {
        struct Abort: Error {}
        let database = try TestDatabase.create()
        #expect(throws: Abort.self) {
            try database.pool.withTransaction { connection in
                try connection.query("INSERT INTO learner_goals (user_id, target_theta) VALUES ('u1', 1.0)")
                throw Abort()
            }
        }
        try database.pool.withTransaction { connection in
            _ = try connection.query("INSERT INTO learner_goals (user_id, target_theta) VALUES ('u2', 0.5)")
        }
        let users: [String] = try database.pool.withConnection { connection in
            try connection.query("SELECT user_id FROM learner_goals ORDER BY 1").rows.map { try $0.decode(0) }
        }
        #expect(users == ["u2"])
    }

    @Test func poolExhaustionFailsFastInsteadOfHanging() throws {
        let database = try TestDatabase.create()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: database.serverConnectionString, database: database.name, size: 2,
                acquireTimeout: 0.3),
            logger: TestServer.quietLogger)
        defer { pool.close() }
        let start = Date()
        _ = try pool.withConnection { _ in
            _ = try pool.withConnection { _ in
                do {
                    try pool.withConnection { _ in Issue.record("a third connection should not be granted") }
                } catch let error as PostgresError {
                    #expect(error.kind == .poolExhausted)
                }
            }
        }
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(pool.openConnections == 2)
        #expect(try pool.withConnection { try $0.query("SELECT 1")[0].decode(0, as: Int.self) } == 1)
    }

    @Test func copyInLoadsRowsAndAbortsOnError() throws {
        struct Stop: Error {}
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let copied = try connection.copyIn("COPY learner_goals (user_id, target_theta) FROM STDIN") { writer in
                for index in 0..<5000 {
                    writer.append("user\t\(index)\\x\n")
                    writer.append(Double(index % 10) / 10)
                    try writer.endRow()
                }
            }
            #expect(copied == 5000)
            #expect(throws: Stop.self) {
                try connection.copyIn("COPY learner_goals (user_id, target_theta) FROM STDIN") { writer in
                    writer.append("late")
                    writer.append(1.0)
                    try writer.endRow()
                    throw Stop()
                }
            }
            let count: Int = try connection.query("SELECT count(*) FROM learner_goals")[0].decode(0)
            #expect(count == 5000)
            let tricky: Bool = try connection.query(
                "SELECT EXISTS (SELECT 1 FROM learner_goals WHERE user_id = \("user\t7\\x\n"))")[0].decode(0)
            #expect(tricky)
        }
    }

    @Test func binaryCopyInLoadsEveryTypeAndRefusesAShortRow() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            try connection.execute(
                "CREATE TEMP TABLE binary_rows (name text, count integer, flag boolean, at timestamptz, note text)")
            let base = try #require(Timestamp(rfc3339: "2026-11-26T10:00:00.123456Z"))
            let sql: PostgresQuery = "COPY binary_rows (name, count, flag, at, note) FROM STDIN (FORMAT binary)"
            let copied = try connection.copyInBinary(sql, columnCount: 5) { writer in
                for index in 0..<30_000 {
                    try writer.appendRow { row in
                        row.append("naïve \(index)\t\\")
                        row.append(index % 7 == 0 ? nil : Int32(index) * 70_000 - 1_000_000_000)
                        row.append(index % 2 == 0)
                        row.append(base.adding(microseconds: Int64(index)))
                        row.append(index % 5 == 0 ? nil : "")
                    }
                }
            }
            #expect(copied == 30_000)
            let row = try connection.query(
                "SELECT name, count, flag, at, note FROM binary_rows WHERE name = \("naïve 29999\t\\")")[0]
            #expect(try row.decode(1, as: Int.self) == 29_999 * 70_000 - 1_000_000_000)
            #expect(try row.decode(2, as: Bool.self) == false)
            #expect(try row.decode(3, as: Timestamp.self) == base.adding(microseconds: 29_999))
            #expect(try row.decode(4, as: String?.self) == "")
            let nulls = try connection.query(
                """
                SELECT count(*) FILTER (WHERE count IS NULL), count(*) FILTER (WHERE note IS NULL)
                FROM binary_rows
                """)[0]
            #expect(try nulls.decode(0, as: Int.self) == 4286)
            #expect(try nulls.decode(1, as: Int.self) == 6000)
            // A row missing a column is the caller's mistake: refused before it reaches the server, nothing kept.
            #expect(throws: PostgresError.self) {
                try connection.copyInBinary(sql, columnCount: 5) { writer in
                    try writer.appendRow { $0.append("short") }
                }
            }
            #expect(throws: PostgresError.self) {
                try connection.copyInBinary(sql, columnCount: 5) { writer in
                    try writer.appendRow { row in for _ in 0..<6 { row.append("too many") } }
                }
            }
            #expect(try connection.query("SELECT count(*) FROM binary_rows")[0].decode(0, as: Int.self) == 30_000)
            // Before PostgreSQL's epoch (2000-01-01) the offset is negative.
            let early = try #require(Timestamp(rfc3339: "1987-06-05T04:03:02.000001Z"))
            try connection.copyInBinary(sql, columnCount: 5) { writer in
                try writer.appendRow { row in
                    row.append("early")
                    row.append(nil as Int32?)
                    row.append(true)
                    row.append(early)
                    row.appendNull()
                }
            }
            let stored = try connection.query(
                "SELECT at, at = timestamptz '1987-06-05T04:03:02.000001Z' FROM binary_rows WHERE name = 'early'")[0]
            #expect(try stored.decode(0, as: Timestamp.self) == early)
            #expect(try stored.decode(1, as: Bool.self))
            // Rows encoded beforehand go in whole, in any order and over several chunks.
            var encoded = BinaryCopyRows(columnCount: 5)
            var ends: [Int] = []
            for index in 0..<20_000 {
                encoded.append("encoded \(index)")
                encoded.append(Int32(index))
                encoded.append(true)
                encoded.append(base)
                encoded.append(String(repeating: "x", count: index % 100))
                try encoded.endRow()
                ends.append(encoded.byteCount)
            }
            let reversed = try encoded.withBytes { bytes in
                try connection.copyInBinary(sql, columnCount: 5) { writer in
                    for index in stride(from: ends.count - 1, through: 0, by: -1) {
                        let start = index == 0 ? 0 : ends[index - 1]
                        try writer.appendEncoded(UnsafeRawBufferPointer(rebasing: bytes[start..<ends[index]]))
                    }
                }
            }
            #expect(reversed == 20_000)
            let sums = try connection.query(
                "SELECT count(*), sum(count), sum(length(note)) FROM binary_rows WHERE name LIKE 'encoded %'")[0]
            #expect(try sums.decode(0, as: Int.self) == 20_000)
            #expect(try sums.decode(1, as: Int.self) == 19_999 * 20_000 / 2)
            #expect(try sums.decode(2, as: Int.self) == 200 * (99 * 100 / 2))
        }
    }

    @Test func copyOutStreamsBinaryRowsAndSurvivesAThrowingBody() throws {
        struct Stop: Error {}
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            var rows = 0
            var total: Int64 = 0
            var nulls = 0
            let copied = try connection.copyOut(
                """
                COPY (SELECT g, g::int8 * 1000000000, CASE WHEN g % 3 = 0 THEN NULL ELSE 'ü' || g END,
                    timestamptz '2026-11-26T10:00:00Z' + g * interval '1 microsecond'
                FROM generate_series(1, 50000) AS g) TO STDOUT (FORMAT binary)
                """
            ) { row in
                #expect(row.fieldCount == 4)
                let g = try #require(try row.integer(0))
                #expect(try row.integer(1) == g * 1_000_000_000)
                if let text = try row.bytes(2) {
                    #expect(String(decoding: text, as: UTF8.self) == "ü\(g)")
                } else {
                    nulls += 1
                }
                #expect(try row.timestamp(3) == Timestamp(rfc3339: "2026-11-26T10:00:00Z")!.adding(microseconds: g))
                total += g
                rows += 1
            }
            #expect(copied == 50_000 && rows == 50_000)
            #expect(total == 50_000 * 50_001 / 2)
            #expect(nulls == 16_666)
            #expect(try connection.copyOut("COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT binary)") { _ in } == 0)
            var seen = 0
            #expect(throws: Stop.self) {
                try connection.copyOut("COPY (SELECT generate_series(1, 10000)) TO STDOUT (FORMAT binary)") { _ in
                    seen += 1
                    if seen == 10 { throw Stop() }
                }
            }
            #expect(seen == 10)
            #expect(try connection.query("SELECT 5")[0].decode(0, as: Int.self) == 5)
        }
    }

    @Test func streamingUsesBoundedBatches() throws {
        let database = try TestDatabase.create()
        try database.pool.withTransaction { connection in
            var total = 0
            var count = 0
            try connection.stream("SELECT g FROM generate_series(1, \(25_001)::int4) AS g", batchSize: 1000) { row in
                total += try row.decode(0, as: Int.self)
                count += 1
            }
            #expect(count == 25_001)
            #expect(total == 25_001 * 25_002 / 2)
        }
    }

    @Test func advisoryLocksExcludeOtherSessions() throws {
        let database = try TestDatabase.create()
        let first = try database.connect()
        let second = try database.connect()
        defer {
            first.close()
            second.close()
        }
        let key = AdvisoryLockKey(namespace: 7, name: "stage")
        #expect(try first.tryAdvisoryLock(key))
        #expect(try !second.tryAdvisoryLock(key))
        #expect(try second.isAdvisoryLockHeld(key))
        try first.advisoryUnlock(key)
        #expect(try !second.isAdvisoryLockHeld(key))
        #expect(try second.tryAdvisoryLock(key))
        let negative = AdvisoryLockKey(namespace: 7, id: -12345)
        #expect(try first.tryAdvisoryLock(negative))
        #expect(try second.isAdvisoryLockHeld(negative))
        try second.begin()
        #expect(try second.tryAdvisoryTransactionLock(AdvisoryLockKey(namespace: 7, id: 1)))
        #expect(try !first.tryAdvisoryLock(AdvisoryLockKey(namespace: 7, id: 1)))
        try second.commit()
        #expect(try first.tryAdvisoryLock(AdvisoryLockKey(namespace: 7, id: 1)))
    }
}
