/// Streams rows in COPY's binary format to the server in large chunks: a row at a time through `appendRow`, or rows
/// encoded beforehand by a `BinaryCopyRows` appended whole.
public struct BinaryCopyInWriter: ~Copyable {
    let connection: PostgresConnection
    /// The chunk being filled, after the stream's header. Its bytes are sent and dropped as it grows; its row count
    /// keeps counting.
    var rows: BinaryCopyRows

    /// "PGCOPY\n\xFF\r\n\0", then flags and header-extension length, both zero.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)

    init(connection: PostgresConnection, columnCount: Int) {
        self.connection = connection
        rows = BinaryCopyRows(columnCount: columnCount, reservingCapacity: CopyInWriter.flushThreshold + 4096)
        Self.header.withUnsafeBytes { rows.appendBytes($0) }
    }

    public var rowCount: Int { rows.rowCount }

    /// Appends one row: `body` appends its fields in column order; the row is then checked for every column.
    public mutating func appendRow(_ body: (inout BinaryCopyRows) throws -> Void) throws {
        try body(&rows)
        try rows.endRow()
        try sendIfLarge()
    }

    /// Appends one row encoded beforehand by a `BinaryCopyRows` with the same columns.
    public mutating func appendEncoded(_ encoded: UnsafeRawBufferPointer) throws(PostgresError) {
        rows.appendEncodedRow(encoded)
        try sendIfLarge()
    }

    mutating func sendIfLarge() throws(PostgresError) {
        if rows.byteCount >= CopyInWriter.flushThreshold { try send() }
    }

    /// Sends what is buffered and the trailer. (Rows are always whole here: `appendRow` ends each one or throws, and
    /// a throw aborts the COPY.)
    mutating func finish() throws(PostgresError) {
        rows.appendBigEndian(Int16(-1))
        try send()
    }

    mutating func send() throws(PostgresError) {
        try rows.withBytes { (bytes) throws(PostgresError) in try connection.putCopyData(bytes) }
        rows.removeAllBytes()
    }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN (FORMAT binary)` for `columnCount` columns with the rows `body` writes, and returns
    /// the number of rows copied. If `body` throws, the COPY is aborted and the error rethrown.
    @discardableResult
    public func copyInBinary(
        _ query: PostgresQuery, columnCount: Int, _ body: (inout BinaryCopyInWriter) throws -> Void
    )
        throws -> Int
    {
        var writer = BinaryCopyInWriter(connection: self, columnCount: columnCount)
        try copyIn(query) {
            try body(&writer)
            try writer.finish()
        }
        return writer.rowCount
    }
}
