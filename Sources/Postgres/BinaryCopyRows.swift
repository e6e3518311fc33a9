import UTCTime

/// Rows in COPY's binary format, encoded into memory this value owns. The server reads binary values as they are
/// stored (no parsing of timestamps, numbers or booleans), which makes bulk loads cheaper for it than text.
///
/// Each value must match its column's type exactly: `text` for strings, `int4` for `Int32`, `bool`, `timestamptz`.
/// Fields are appended in column order; `endRow()` finishes each row and checks it has every column. A bulk load
/// appends every field of every row, so the appends are inlinable stores at a cursor into raw memory, with one
/// capacity check each; the value is noncopyable so that it alone owns that memory.
public struct BinaryCopyRows: ~Copyable {
    @usableFromInline let columnCount: Int
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var count = 0
    @usableFromInline var fieldsInRow = 0
    public private(set) var rowCount = 0

    /// The size of what is encoded so far: after `endRow()`, where the next row starts.
    public var byteCount: Int { count }

    public init(columnCount: Int, reservingCapacity capacity: Int = 4096) {
        self.columnCount = columnCount
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Lends the encoded bytes.
    public func withBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes (keeping the memory and the row count): for a stream that has sent them.
    mutating func removeAllBytes() { count = 0 }

    @inlinable @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @usableFromInline mutating func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        larger.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = larger
    }

    @inlinable @inline(__always) mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        (base + count).storeBytes(of: value.bigEndian, as: T.self)
        count += MemoryLayout<T>.size
    }

    @inlinable @inline(__always) mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Starts a field of `length` bytes (-1 for NULL), writing the row's field count first if it is a new row.
    @inlinable @inline(__always) mutating func startField(length: Int32) {
        if fieldsInRow == 0 { appendBigEndian(Int16(columnCount)) }
        fieldsInRow += 1
        appendBigEndian(length)
    }

    @inlinable public mutating func appendNull() { startField(length: -1) }

    /// A `text` value: its UTF-8 bytes.
    @inlinable public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in appendText(UnsafeRawBufferPointer(utf8)) }
    }

    @inlinable public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// A `text` value from UTF-8 bytes (the caller vouches that they are valid UTF-8 without NUL); nil is NULL.
    @inlinable public mutating func appendText(_ utf8: UnsafeRawBufferPointer?) {
        guard let utf8 else { return appendNull() }
        startField(length: Int32(utf8.count))
        appendBytes(utf8)
    }

    /// An `int4` value.
    @inlinable public mutating func append(_ value: Int32?) {
        guard let value else { return appendNull() }
        startField(length: 4)
        appendBigEndian(value)
    }

    @inlinable public mutating func append(_ value: Bool) {
        startField(length: 1)
        appendBigEndian(UInt8(value ? 1 : 0))
    }

    /// A `timestamptz` value: microseconds since 2000-01-01 UTC.
    @inlinable public mutating func append(_ value: Timestamp) {
        startField(length: 8)
        appendBigEndian(value.microseconds - postgresEpochMicroseconds)
    }

    /// Finishes a row, checking that it has every column.
    public mutating func endRow() throws(PostgresError) {
        guard fieldsInRow == columnCount else {
            throw PostgresError(.usage, message: "binary COPY row has \(fieldsInRow) fields, expected \(columnCount)")
        }
        fieldsInRow = 0
        rowCount += 1
    }

    /// Appends a whole row encoded elsewhere for the same columns (only between rows).
    mutating func appendEncodedRow(_ encoded: UnsafeRawBufferPointer) {
        assert(fieldsInRow == 0, "an encoded row appended inside a row")
        appendBytes(encoded)
        rowCount += 1
    }
}
