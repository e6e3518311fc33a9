import UTCTime

/// The binary encodings of the column types a bulk load of stored documents needs beyond the basic ones.
extension BinaryCopyRows {
    /// A `bytea` value: the bytes as they are.
    public mutating func appendBytea(_ bytes: [UInt8]) {
        startField(length: Int32(bytes.count))
        bytes.withUnsafeBytes { appendBytes($0) }
    }

    /// An `int8` value; nil is NULL.
    public mutating func appendInt64(_ value: Int64?) {
        guard let value else { return appendNull() }
        startField(length: 8)
        appendBigEndian(value)
    }

    /// A `date` value: days since 2000-01-01.
    public mutating func appendDate(_ day: Day) {
        startField(length: 4)
        appendBigEndian(Int32(day.daysSinceEpoch - postgresEpochDays))
    }
}
