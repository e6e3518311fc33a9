import Glibc

/// An instant with microsecond precision (PostgreSQL's), as microseconds since 1970-01-01T00:00:00Z.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public init(secondsSinceEpoch: Double) {
        microseconds = Int64((secondsSinceEpoch * 1_000_000).rounded())
    }

    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    /// The UTC day this instant falls on.
    public var day: Day {
        let days =
            microseconds >= 0
            ? microseconds / Self.microsecondsPerDay : (microseconds + 1) / Self.microsecondsPerDay - 1
        return Day(daysSinceEpoch: Int(days))
    }

    public var secondsSinceEpoch: Double { Double(microseconds) / 1_000_000 }

    public func adding(microseconds delta: Int64) -> Timestamp { Timestamp(microseconds: microseconds + delta) }
    public func adding(days: Int) -> Timestamp { adding(microseconds: Int64(days) * Self.microsecondsPerDay) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// RFC 3339 in UTC with a `Z`, with as many fractional digits as needed (none, 3 or 6).
    public var rfc3339: String {
        let microsOfDay = microseconds - Int64(day.daysSinceEpoch) * Self.microsecondsPerDay
        let seconds = microsOfDay / 1_000_000
        let fraction = microsOfDay % 1_000_000
        var text = "\(day.iso)T\(Digits.pad(Int(seconds / 3600), 2)):\(Digits.pad(Int(seconds / 60 % 60), 2)):"
        text += Digits.pad(Int(seconds % 60), 2)
        if fraction != 0 {
            text +=
                fraction % 1000 == 0 ? ".\(Digits.pad(Int(fraction / 1000), 3))" : ".\(Digits.pad(Int(fraction), 6))"
        }
        return text + "Z"
    }

    public var description: String { rfc3339 }
}
