import CLibPQ

/// The rows of one statement, in binary format. Immutable once created; the `PGresult` is freed with the object.
public final class PostgresResult: @unchecked Sendable {
    // A PGresult is never modified after libpq returns it, so reading it from any thread is safe.
    let handle: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    let columnTypes: [UInt32]

    init(handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
        columnTypes = (0..<Int32(columnCount)).map { PQftype(handle, $0) }
    }

    deinit { PQclear(handle) }

    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(handle, Int32(column)))
    }

    public func columnIndex(_ name: String) -> Int? {
        let index = PQfnumber(handle, name)
        return index >= 0 ? Int(index) : nil
    }

    /// Rows affected by an INSERT, UPDATE, DELETE or COPY.
    public var affectedRows: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    /// The row at `row`; a row the result does not have throws (a statement that returned fewer rows than its caller
    /// expected is a failure to report, not a crash).
    public subscript(row: Int) -> PostgresRow {
        get throws(PostgresError) {
            guard row >= 0 && row < rowCount else {
                throw PostgresError(.decoding, message: "the result has no row \(row) (it has \(rowCount))")
            }
            return self.row(row)
        }
    }

    /// The first row, nil when there is none.
    public var first: PostgresRow? { rowCount > 0 ? row(0) : nil }

    public var rows: [PostgresRow] { (0..<rowCount).map(row) }

    /// The row at `index`, which the caller has checked is in `0..<rowCount`.
    func row(_ index: Int) -> PostgresRow {
        PostgresRow(result: self, row: Int32(index))
    }
}

/// One row of a result.
public struct PostgresRow {
    let result: PostgresResult
    let row: Int32

    public func isNull(_ column: Int) -> Bool {
        PQgetisnull(result.handle, row, Int32(column)) != 0
    }

    /// Decodes a column by position. Errors name the column.
    public func decode<Value: PostgresDecodable>(_ column: Int, as type: Value.Type = Value.self) throws(PostgresError)
        -> Value
    {
        guard column >= 0 && column < result.columnCount else {
            throw PostgresError(.usage, message: "column \(column) does not exist")
        }
        let cell: PostgresCell
        if PQgetisnull(result.handle, row, Int32(column)) != 0 {
            cell = PostgresCell(bytes: nil, oid: result.columnTypes[column], result: result, column: column)
        } else {
            let pointer = PQgetvalue(result.handle, row, Int32(column))
            let length = Int(PQgetlength(result.handle, row, Int32(column)))
            cell = PostgresCell(
                bytes: UnsafeRawBufferPointer(start: pointer, count: length), oid: result.columnTypes[column],
                result: result, column: column)
        }
        return try Value.decode(cell)
    }

    /// Decodes a column by name.
    public func decode<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) throws(PostgresError)
        -> Value
    {
        guard let column = result.columnIndex(name) else {
            throw PostgresError(.usage, message: "column \"\(name)\" is not in the result")
        }
        return try decode(column, as: type)
    }
}

/// One value as received: binary bytes (nil for NULL) and its type.
public struct PostgresCell {
    public let bytes: UnsafeRawBufferPointer?
    public let oid: UInt32
    let result: PostgresResult
    let column: Int

    /// The error for a value that does not fit the requested type, naming the column.
    public func mismatch(_ wanted: String) -> PostgresError {
        let name = result.columnName(column)
        if bytes == nil {
            return PostgresError(.decoding, message: "column \"\(name)\" is NULL, expected \(wanted)")
        }
        return PostgresError(.decoding, message: "column \"\(name)\" has type OID \(oid), expected \(wanted)")
    }
}
