import Glibc

/// The `Date` header line (IMF-fixdate), formatted straight into bytes on every call: cheaper than sharing a cache
/// between the loop and worker threads, which contend for its lock.
enum HTTPDate {
    private static let days = Array("SunMonTueWedThuFriSat".utf8)
    private static let months = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n`.
    static func headerLine() -> [UInt8] {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var line = [UInt8]()
        line.reserveCapacity(37)
        line.append(contentsOf: "Date: ".utf8)
        let day = Int(parts.tm_wday) * 3
        line.append(contentsOf: days[day..<day + 3])
        line.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")])
        two(Int(parts.tm_mday), &line)
        line.append(UInt8(ascii: " "))
        let month = Int(parts.tm_mon) * 3
        line.append(contentsOf: months[month..<month + 3])
        line.append(UInt8(ascii: " "))
        let year = 1900 + Int(parts.tm_year)
        two(year / 100, &line)
        two(year % 100, &line)
        line.append(UInt8(ascii: " "))
        two(Int(parts.tm_hour), &line)
        line.append(UInt8(ascii: ":"))
        two(Int(parts.tm_min), &line)
        line.append(UInt8(ascii: ":"))
        two(Int(parts.tm_sec), &line)
        line.append(contentsOf: " GMT\r\n".utf8)
        return line
    }

    private static func two(_ value: Int, _ line: inout [UInt8]) {
        line.append(UInt8(ascii: "0") + UInt8(value / 10))
        line.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
