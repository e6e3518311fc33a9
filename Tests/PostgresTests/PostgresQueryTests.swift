import JSON
import Postgres
import Testing
import UTCTime

/// How a `PostgresQuery` is built from a literal: values become parameters, fragments are renumbered, raw text needs
/// a label. No database needed.
@Suite struct PostgresQueryTests {
    @Test func aLiteralWithoutInterpolationIsItsTextWithNoBinds() {
        let query: PostgresQuery = "SELECT 1"
        #expect(query.sql == "SELECT 1")
        #expect(query.binds.isEmpty)
    }

    @Test func eachInterpolatedValueBecomesTheNextParameter() {
        let user = "u'1"
        let limit = 5
        let day = Day(iso: "2026-11-23")
        let query: PostgresQuery = "SELECT * FROM t WHERE user_id = \(user) AND day = \(day) LIMIT \(limit)"
        #expect(query.sql == "SELECT * FROM t WHERE user_id = $1 AND day = $2 LIMIT $3")
        #expect(query.binds == [user.postgresParameter, day.postgresParameter, limit.postgresParameter])
        // The value is nowhere in the text.
        #expect(!query.sql.contains("u'1"))
    }

    @Test func nilBindsNullAndARepeatedValueBindsTwice() {
        let topic: String? = nil
        let query: PostgresQuery = "WHERE (\(topic)::text IS NULL OR topic_id = \(topic))"
        #expect(query.sql == "WHERE ($1::text IS NULL OR topic_id = $2)")
        #expect(query.binds == [.null, .null])
    }

    @Test func typesKeepTheirOIDs() {
        let query: PostgresQuery = "\(true) \(2.5) \(["a"]) \(JSONValue.object(JSONObject())) \(ByteArray([1, 2]))"
        #expect(
            query.binds.map(\.oid) == [
                PostgresType.bool, PostgresType.float8, PostgresType.textArray, PostgresType.jsonb, PostgresType.bytea,
            ])
        #expect(query.binds[4].isBinary)
    }

    @Test func aFragmentIsAppendedWithItsPlaceholdersRenumbered() {
        let after = "u9"
        let columns: PostgresQuery = "user_id, theta"
        let filter: PostgresQuery = "version = \("v1") AND user_id > \(after)"
        let query: PostgresQuery = "SELECT \(columns) FROM t WHERE run_id = \(7) AND \(filter) LIMIT \(10)"
        #expect(
            query.sql == "SELECT user_id, theta FROM t WHERE run_id = $1 AND version = $2 AND user_id > $3 LIMIT $4")
        #expect(
            query.binds == [7.postgresParameter, "v1".postgresParameter, "u9".postgresParameter, 10.postgresParameter])
        // The fragment itself is unchanged and can be used again.
        #expect(filter.sql == "version = $1 AND user_id > $2")
        let twice: PostgresQuery = "\(filter) OR \(filter)"
        #expect(twice.sql == "version = $1 AND user_id > $2 OR version = $3 AND user_id > $4")
        #expect(twice.binds.count == 4)
    }

    @Test func renumberingPassesTenAndKeepsMultiByteTextIntact() {
        var parts: PostgresQuery = "'é' = \(0)"
        for index in 1..<11 { parts = "\(parts), 'ü' = \(index)" }
        let query: PostgresQuery = "SELECT \(1_000) -- ünïcode\n, \(parts)"
        #expect(query.binds.count == 12)
        #expect(query.sql.hasPrefix("SELECT $1 -- ünïcode\n, 'é' = $2, 'ü' = $3"))
        #expect(query.sql.hasSuffix("'ü' = $12"))
    }

    @Test func rawTextNeedsAnExplicitLabel() {
        let table = "weekly_kpi"
        let query: PostgresQuery = "SELECT count(*) FROM \(unsafeSQL: table) WHERE user_id = \(table)"
        #expect(query.sql == "SELECT count(*) FROM weekly_kpi WHERE user_id = $1")
        #expect(query.binds == [table.postgresParameter])
        #expect(PostgresQuery(unsafeSQL: "SELECT 2").sql == "SELECT 2")
    }

    @Test func identifiersAreQuotedWithQuotesDoubled() {
        let query: PostgresQuery = "LISTEN \(identifier: "odd\"name")"
        #expect(query.sql == "LISTEN \"odd\"\"name\"")
        #expect(query.binds.isEmpty)
    }

    @Test func theDescriptionShowsNoValues() {
        let query: PostgresQuery = "SELECT \("secret")"
        #expect("\(query)" == "SELECT $1")
        #expect(!String(reflecting: query).contains("secret"))
    }
}
