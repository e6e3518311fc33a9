import UTCTime

/// The binary forms of `int8`, `float8` and `date`, for tables whose rows carry counts, measures and days.
extension BinaryCopyRows {
    /// An `int8` value.
    @inlinable public mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        startField(length: 8)
        appendBigEndian(value)
    }

    /// A `float8` value: its IEEE 754 bits, so the server stores exactly this double.
    @inlinable public mutating func append(_ value: Double?) {
        guard let value else { return appendNull() }
        startField(length: 8)
        appendBigEndian(value.bitPattern)
    }

    /// A `date` value: days since 2000-01-01.
    public mutating func append(_ value: Day) {
        startField(length: 4)
        appendBigEndian(Int32(value.daysSinceEpoch - postgresEpochDays))
    }
}
