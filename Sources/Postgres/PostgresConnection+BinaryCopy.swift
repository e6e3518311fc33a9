import UTCTime

/// Builds rows in COPY's binary format and sends them in large chunks. The server reads binary values as they are
/// stored (no parsing of timestamps, numbers or booleans), which makes bulk loads cheaper for it than text.
///
/// Each value must match its column's type exactly: `text` for strings, `int4` for `Int32`, `bool`, `timestamptz`.
/// Fields are appended in column order; `endRow()` finishes each row and checks it has every column.
/// The appends are inlinable: a bulk load calls them for every field of every row.
public struct BinaryCopyInWriter {
    let connection: PostgresConnection
    @usableFromInline let columnCount: Int
    @usableFromInline var buffer: [UInt8] = []
    @usableFromInline var fieldsInRow = 0
    public private(set) var rowCount = 0

    /// "PGCOPY\n\xFF\r\n\0", then flags and header-extension length, both zero.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)

    init(connection: PostgresConnection, columnCount: Int) {
        self.connection = connection
        self.columnCount = columnCount
        buffer.reserveCapacity(CopyInWriter.flushThreshold + 4096)
        buffer.append(contentsOf: Self.header)
    }

    @inlinable mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Starts a field of `length` bytes (-1 for NULL), writing the row's field count first if it is a new row.
    @inlinable mutating func startField(length: Int32) {
        if fieldsInRow == 0 { appendBigEndian(Int16(columnCount)) }
        fieldsInRow += 1
        appendBigEndian(length)
    }

    @inlinable public mutating func appendNull() { startField(length: -1) }

    /// A `text` value: its UTF-8 bytes.
    @inlinable public mutating func append(_ text: String) {
        let utf8 = text.utf8
        startField(length: Int32(utf8.count))
        // Native strings lend their bytes without a copy (or a retain).
        if utf8.withContiguousStorageIfAvailable({ buffer.append(contentsOf: $0) }) == nil {
            buffer.append(contentsOf: utf8)
        }
    }

    /// A `text` value from UTF-8 bytes (the caller vouches that they are valid UTF-8 without NUL).
    @inlinable public mutating func appendText(_ utf8: UnsafeRawBufferPointer) {
        startField(length: Int32(utf8.count))
        buffer.append(contentsOf: utf8)
    }

    @inlinable public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// An `int4` value.
    @inlinable public mutating func append(_ value: Int32?) {
        guard let value else { return appendNull() }
        startField(length: 4)
        appendBigEndian(value)
    }

    @inlinable public mutating func append(_ value: Bool) {
        startField(length: 1)
        buffer.append(value ? 1 : 0)
    }

    /// A `timestamptz` value: microseconds since 2000-01-01 UTC.
    @inlinable public mutating func append(_ value: Timestamp) {
        startField(length: 8)
        appendBigEndian(value.microseconds - postgresEpochMicroseconds)
    }

    public mutating func endRow() throws(PostgresError) {
        guard fieldsInRow == columnCount else {
            throw PostgresError(.usage, message: "binary COPY row has \(fieldsInRow) fields, expected \(columnCount)")
        }
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= CopyInWriter.flushThreshold { try connection.putCopyData(&buffer) }
    }

    /// Sends what is buffered and the trailer.
    mutating func finish() throws(PostgresError) {
        guard fieldsInRow == 0 else {
            throw PostgresError(.usage, message: "binary COPY ended inside a row (\(fieldsInRow) fields written)")
        }
        appendBigEndian(Int16(-1))
        try connection.putCopyData(&buffer)
    }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN (FORMAT binary)` for `columnCount` columns with the rows `body` writes, and returns
    /// the number of rows copied. If `body` throws, the COPY is aborted and the error rethrown.
    @discardableResult
    public func copyInBinary(_ sql: String, columnCount: Int, _ body: (inout BinaryCopyInWriter) throws -> Void)
        throws -> Int
    {
        var writer = BinaryCopyInWriter(connection: self, columnCount: columnCount)
        try copyIn(sql) {
            try body(&writer)
            try writer.finish()
        }
        return writer.rowCount
    }
}
