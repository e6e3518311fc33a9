extension PostgresConnection {
    /// Streams the rows of a query through a server-side cursor, `batchSize` rows at a time, so that memory stays
    /// bounded whatever the result size. Must run inside a transaction (cursors live in one). Every row is read, so
    /// the planner is told to optimise for the whole result (its default for cursors favours the first 10%).
    public func stream(
        _ sql: String, _ parameters: [any PostgresEncodable] = [], batchSize: Int = 20_000,
        _ body: (PostgresRow) throws -> Void
    ) throws {
        guard isInTransaction else {
            throw PostgresError(.usage, message: "stream() needs an open transaction")
        }
        try execute("SET LOCAL cursor_tuple_fraction = 1.0")
        cursorCounter += 1
        let cursor = "seedtest_cursor_\(cursorCounter)"
        try queryUnprepared("DECLARE \(cursor) NO SCROLL CURSOR FOR \(sql)", parameters)
        let fetch = "FETCH FORWARD \(batchSize) FROM \(cursor)"
        while true {
            let batch = try query(fetch)
            for index in 0..<batch.rowCount { try body(batch[index]) }
            if batch.rowCount < batchSize { break }
        }
        try execute("CLOSE \(cursor)")
    }
}
