import Postgres
import TestSupport
import Testing
import UTCTime

/// The binary COPY forms of `int8`, `float8` and `date` store exactly the values PostgreSQL reads from their text.
@Suite(.ownThreads) struct BinaryCopyNumbersTests {
    @Test func numbersAndDaysRoundTrip() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            try connection.execute("CREATE TEMP TABLE numbers (id int4, big int8, measure float8, day date)")
            let rows: [(Int64?, Double?, String)] = [
                (0, 0.1, "2000-01-01"), (-9_223_372_036_854_775_808, -2.5e-300, "1999-12-31"),
                (9_223_372_036_854_775_807, 1.7976931348623157e308, "2026-11-26"), (nil, nil, "1970-01-01"),
                (42, 1.0 / 3.0, "1900-03-01"),
            ]
            try connection.copyInBinary(
                "COPY numbers (id, big, measure, day) FROM STDIN (FORMAT binary)", columnCount: 4
            ) { writer in
                for (index, row) in rows.enumerated() {
                    try writer.appendRow { fields in
                        fields.append(Int32(index))
                        fields.append(row.0)
                        fields.append(row.1)
                        fields.append(Day(iso: row.2)!)
                    }
                }
            }
            for (index, row) in rows.enumerated() {
                let stored = try connection.query(
                    """
                    SELECT big IS NOT DISTINCT FROM \(row.0)::int8,
                        measure IS NOT DISTINCT FROM \(row.1.map { String($0) })::float8,
                        day = \(row.2)::date
                    FROM numbers WHERE id = \(Int32(index))
                    """)[0]
                #expect(try stored.decode(0, as: Bool.self), "int8 of row \(index)")
                #expect(try stored.decode(1, as: Bool.self), "float8 of row \(index)")
                #expect(try stored.decode(2, as: Bool.self), "date of row \(index)")
            }
        }
    }
}
