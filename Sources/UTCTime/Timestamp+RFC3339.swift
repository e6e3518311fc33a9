extension Timestamp {
    /// Parses an RFC 3339 date-time with a zone (`Z` or `±hh:mm`), an optional fraction of up to 9 digits (kept to
    /// the microsecond, truncated), and `T`, `t` or a space between date and time. Returns nil for anything else,
    /// including times without a zone.
    public init?(rfc3339 text: String) {
        var text = text
        guard let value = text.withUTF8({ Timestamp(rfc3339Bytes: $0) }) else { return nil }
        self = value
    }

    /// The same, from UTF-8 bytes (no allocation).
    public init?(rfc3339Bytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Digits.parse(bytes[0..<4]), let month = Digits.parse(bytes[5..<7]),
            let dayOfMonth = Digits.parse(bytes[8..<10]),
            let day = Day(year: year, month: month, day: dayOfMonth)
        else { return nil }
        let separator = bytes[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = Digits.parse(bytes[11..<13]), let minute = Digits.parse(bytes[14..<16]),
            let second = Digits.parse(bytes[17..<19]), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, let digit = Digits.value(bytes[index]) {
                if digits < 6 { micros = micros * 10 + Int64(digit) }
                digits += 1
                index += 1
            }
            guard digits >= 1, digits <= 9 else { return nil }
            if digits < 6 {
                for _ in digits..<6 { micros *= 10 }
            }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = Digits.parse(bytes[index + 1..<index + 3]),
                let offsetMins = Digits.parse(bytes[index + 4..<index + 6]), offsetHours < 24, offsetMins < 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        self.init(microseconds: day.start.microseconds + secondsOfDay * 1_000_000 + micros)
    }
}
