import Glibc
import UTCTime

/// The `Date` header line (IMF-fixdate), formatted straight into bytes on every call from the epoch seconds with
/// integer arithmetic: glibc's `gmtime_r` takes the process-wide time-zone lock, which the loops and workers would
/// contend for on every response, and a shared cache would need a lock of its own.
enum HTTPDate {
    private static let days = Array("SunMonTueWedThuFriSat".utf8)
    private static let months = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n` for now.
    static func headerLine() -> [UInt8] {
        var line = [UInt8]()
        line.reserveCapacity(37)
        append(epochSeconds: Int(time(nil)), to: &line)
        return line
    }

    /// Appends the header line for a time given in seconds since 1970 (UTC, no leap seconds).
    static func append(epochSeconds: Int, to line: inout [UInt8]) {
        let dayNumber = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = epochSeconds - dayNumber * 86_400
        let (year, month, day) = Day(daysSinceEpoch: dayNumber).civil
        line.append(contentsOf: "Date: ".utf8)
        // 1 January 1970 was a Thursday (index 4 from Sunday).
        let weekday = ((dayNumber % 7) + 11) % 7 * 3
        line.append(contentsOf: days[weekday..<weekday + 3])
        line.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
        two(day, &line)
        line.append(UInt8(ascii: " "))
        let monthIndex = (month - 1) * 3
        line.append(contentsOf: months[monthIndex..<monthIndex + 3])
        line.append(UInt8(ascii: " "))
        two(year / 100, &line)
        two(year % 100, &line)
        line.append(UInt8(ascii: " "))
        two(secondOfDay / 3600, &line)
        line.append(UInt8(ascii: ":"))
        two(secondOfDay / 60 % 60, &line)
        line.append(UInt8(ascii: ":"))
        two(secondOfDay % 60, &line)
        line.append(contentsOf: " GMT\r\n".utf8)
    }

    private static func two(_ value: Int, _ line: inout [UInt8]) {
        line.append(UInt8(ascii: "0") + UInt8(value / 10))
        line.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
