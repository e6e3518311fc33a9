extension PostgresConnection {
    /// Streams the rows of a query through a server-side cursor, `batchSize` rows at a time, so that memory stays
    /// bounded whatever the result size. Must run inside a transaction (cursors live in one). Every row is read, so
    /// the planner is told to optimise for the whole result (its default for cursors favours the first 10%).
    public func stream(
        _ query: PostgresQuery, batchSize: Int = 20_000, _ body: (PostgresRow) throws -> Void
    ) throws {
        guard isInTransaction else {
            throw PostgresError(.usage, message: "stream() needs an open transaction")
        }
        try execute("SET LOCAL cursor_tuple_fraction = 1.0")
        cursorCounter += 1
        // The cursor's name and the batch size are this program's own: text, not parameters (FETCH takes none).
        let cursor = "seedtest_cursor_\(cursorCounter)"
        try queryUnprepared("DECLARE \(unsafeSQL: cursor) NO SCROLL CURSOR FOR \(query)")
        let fetch: PostgresQuery = "FETCH FORWARD \(unsafeSQL: String(batchSize)) FROM \(unsafeSQL: cursor)"
        while true {
            let batch = try self.query(fetch)
            for index in 0..<batch.rowCount { try body(batch.row(index)) }
            if batch.rowCount < batchSize { break }
        }
        try execute("CLOSE \(unsafeSQL: cursor)")
    }
}
