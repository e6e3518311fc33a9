import UTCTime

/// A five-field cron expression (minute hour day-of-month month day-of-week, in UTC) as the CronJobs in `deploy/`
/// use them: `*`, numbers, lists, ranges and steps (`*/15`, `1-5`, `0,30`, `8-18/2`); day of week 0–7 with 0 and 7
/// both Sunday. As in cron, when both day fields are restricted a day matching either one fires.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let expression: String
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let dayOfMonthRestricted: Bool
    let weekdayRestricted: Bool

    /// Parses `expression`; throws naming the field that is wrong.
    public init(_ expression: String) throws(CronError) {
        let fields = expression.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5 else {
            throw CronError("'\(expression)' must have 5 fields (minute hour day month weekday)")
        }
        self.expression = fields.joined(separator: " ")
        minutes = try Self.values(fields[0], 0...59, "minute").sorted()
        hours = try Self.values(fields[1], 0...23, "hour").sorted()
        daysOfMonth = try Self.values(fields[2], 1...31, "day of month")
        months = try Self.values(fields[3], 1...12, "month")
        weekdays = Set(try Self.values(fields[4], 0...7, "day of week").map { $0 % 7 })
        dayOfMonthRestricted = fields[2] != "*"
        weekdayRestricted = fields[4] != "*"
    }

    public var description: String { expression }

    /// Whether the schedule fires on `day` (at some time of it).
    func fires(on day: Day) -> Bool {
        let civil = day.civil
        guard months.contains(civil.month) else { return false }
        let byDate = daysOfMonth.contains(civil.day)
        let byWeekday = weekdays.contains(day.isoWeekday % 7)
        if dayOfMonthRestricted && weekdayRestricted { return byDate || byWeekday }
        return byDate && byWeekday
    }

    /// The latest firing at or before `instant`; nil when there is none within about four years.
    public func previous(atOrBefore instant: Timestamp) -> Timestamp? {
        let today = instant.day
        let minuteNow = Int((instant.microseconds - today.start.microseconds) / 60_000_000)
        for back in 0..<Self.searchDays {
            let day = today.advanced(by: -back)
            guard fires(on: day) else { continue }
            let limit = back == 0 ? minuteNow : 24 * 60 - 1
            for hour in hours.reversed() {
                for minute in minutes.reversed() where hour * 60 + minute <= limit {
                    return day.start.adding(microseconds: Int64(hour * 60 + minute) * 60_000_000)
                }
            }
        }
        return nil
    }

    /// The first firing after `instant`; nil when there is none within about four years.
    public func next(after instant: Timestamp) -> Timestamp? {
        let today = instant.day
        let minuteNow = Int((instant.microseconds - today.start.microseconds) / 60_000_000)
        for ahead in 0..<Self.searchDays {
            let day = today.advanced(by: ahead)
            guard fires(on: day) else { continue }
            let floor = ahead == 0 ? minuteNow + 1 : 0
            for hour in hours {
                for minute in minutes where hour * 60 + minute >= floor {
                    return day.start.adding(microseconds: Int64(hour * 60 + minute) * 60_000_000)
                }
            }
        }
        return nil
    }

    /// Four years and a day: every valid expression (29 February included) fires within it.
    static let searchDays = 4 * 366 + 1

    /// The values one field allows.
    static func values(_ field: Substring, _ range: ClosedRange<Int>, _ name: String) throws(CronError) -> Set<Int> {
        var result = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw CronError("the \(name) field '\(field)' has a bad step")
                }
                step = parsed
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]),
                    low <= high
                else { throw CronError("the \(name) field '\(field)' has a bad range") }
                span = low...high
            } else {
                guard let single = Int(pieces[0]) else {
                    throw CronError("the \(name) field '\(field)' is not a number, range, list or *")
                }
                span = pieces.count == 2 ? single...range.upperBound : single...single
            }
            guard range.contains(span.lowerBound), range.contains(span.upperBound) else {
                throw CronError("the \(name) field '\(field)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            result.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return result
    }
}

/// A cron expression that cannot be used, with the reason.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
