import CLibPQ

extension PostgresConnection {
    /// Runs one statement with its parameters bound separately (`$1`, `$2` …) and returns its rows in binary format.
    /// Statements are prepared once per connection and reused, so repeated queries skip parsing and planning.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresResult {
        try run(query.sql, query.binds, prepare: true)
    }

    /// Like `query`, without preparing: for statements that cannot be prepared (DECLARE) or run once.
    @discardableResult
    public func queryUnprepared(_ query: PostgresQuery) throws(PostgresError) -> PostgresResult {
        try run(query.sql, query.binds, prepare: false)
    }

    func run(_ sql: String, _ parameters: [PostgresParameter], prepare: Bool) throws(PostgresError) -> PostgresResult {
        guard !isClosed else { throw PostgresError(.usage, message: "the connection is closed") }
        var storage: [UInt8] = []
        var offsets: [Int] = []
        for parameter in parameters {
            offsets.append(storage.count)
            storage.append(contentsOf: parameter.bytes ?? [])
            storage.append(0)
        }
        var lengths = parameters.map { Int32($0.bytes?.count ?? 0) }
        var formats = parameters.map { Int32($0.isBinary ? 1 : 0) }
        var types = parameters.map { Oid($0.oid) }
        let count = Int32(parameters.count)
        let result: OpaquePointer? = try storage.withUnsafeBufferPointer {
            (buffer) throws(PostgresError) -> OpaquePointer? in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            var values: [UnsafePointer<CChar>?] = parameters.indices.map { index in
                parameters[index].bytes == nil ? nil : base.map { $0 + offsets[index] }
            }
            if prepare {
                let name = try preparedName(for: sql, types: &types)
                if let statementDeadline {
                    let sent = PQsendQueryPrepared(handle, name, count, &values, &lengths, &formats, 1)
                    return try awaitResult(by: statementDeadline, sent: sent)
                }
                return PQexecPrepared(handle, name, count, &values, &lengths, &formats, 1)
            }
            if let statementDeadline {
                let sent = PQsendQueryParams(handle, sql, count, &types, &values, &lengths, &formats, 1)
                return try awaitResult(by: statementDeadline, sent: sent)
            }
            return PQexecParams(handle, sql, count, &types, &values, &lengths, &formats, 1)
        }
        guard let result else { throw connectionError() }
        do {
            try check(result)
        } catch {
            PQclear(result)
            throw error
        }
        return PostgresResult(handle: result)
    }

    /// The name of the prepared statement for `sql`, preparing it on first use.
    private func preparedName(for sql: String, types: inout [Oid]) throws(PostgresError) -> String {
        if let name = preparedStatements[sql] { return name }
        let name = "s\(preparedStatements.count + 1)"
        let prepared: OpaquePointer?
        if let statementDeadline {
            prepared = try awaitResult(
                by: statementDeadline, sent: PQsendPrepare(handle, name, sql, Int32(types.count), &types))
        } else {
            prepared = PQprepare(handle, name, sql, Int32(types.count), &types)
        }
        guard let result = prepared else { throw connectionError() }
        defer { PQclear(result) }
        try check(result)
        preparedStatements[sql] = name
        return name
    }

    // MARK: Transactions

    public func begin() throws(PostgresError) { try execute("BEGIN") }
    public func commit() throws(PostgresError) { try execute("COMMIT") }
    public func rollback() throws(PostgresError) { try execute("ROLLBACK") }
}

extension PostgresConnection {
    /// Runs a query and calls `body` for each row. Unlike `stream`, the whole result is fetched at once, which lets
    /// PostgreSQL use a parallel plan (cursors cannot): for results of moderate size, such as one row per learner.
    public func forEachRow(_ query: PostgresQuery, _ body: (PostgresRow) throws -> Void) throws {
        let result = try queryUnprepared(query)
        for index in 0..<result.rowCount { try body(result.row(index)) }
    }
}
