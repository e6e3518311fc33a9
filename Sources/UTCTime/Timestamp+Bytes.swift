extension Timestamp {
    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits) without building a string: for bulk
    /// writers (COPY, logs) that format one per row.
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let day = self.day
        let (year, month, dayOfMonth) = day.civil
        let microsOfDay = Int(microseconds - Int64(day.daysSinceEpoch) * Timestamp.microsecondsPerDay)
        let seconds = microsOfDay / 1_000_000
        Self.appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.appendDigits(dayOfMonth, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Self.appendDigits(seconds / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendDigits(seconds / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendDigits(seconds % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        Self.appendDigits(microsOfDay % 1_000_000, width: 6, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Exactly `width` decimal digits of a non-negative value (leading zeros; a wider value keeps its low digits).
    static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }
}
