import UTCTime

/// Dates in the page: ISO dates for machines and `<time>` attributes, short English dates for people.
extension HTMLWriter {
    /// Appends a day as `YYYY-MM-DD`.
    mutating func iso(_ day: Day) {
        let (year, month, dayOfMonth) = day.civil
        FixedDecimal.appendDigits(UInt64(max(0, year)), width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        FixedDecimal.appendDigits(UInt64(month), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        FixedDecimal.appendDigits(UInt64(dayOfMonth), width: 2, to: &bytes)
    }

    /// Appends a day for people to read: `Mon 23 Nov 2026`.
    mutating func longDate(_ day: Day) {
        weekday(day)
        bytes.append(UInt8(ascii: " "))
        let (year, month, dayOfMonth) = day.civil
        int(dayOfMonth)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: DayNames.months[month - 1].utf8)
        bytes.append(UInt8(ascii: " "))
        int(year)
    }

    /// Appends the three-letter weekday: `Mon`.
    mutating func weekday(_ day: Day) {
        bytes.append(contentsOf: DayNames.weekdays[day.isoWeekday - 1].utf8)
    }
}

/// English names for dates in the report.
enum DayNames {
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The ISO 8601 week of `day`: the week belongs to the year of its Thursday.
    static func isoWeek(of day: Day) -> (year: Int, week: Int) {
        let thursday = day.weekStart.advanced(by: 3)
        let year = thursday.civil.year
        let januaryFirst = Day(year: year, month: 1, day: 1) ?? thursday
        return (year, januaryFirst.distance(to: thursday) / 7 + 1)
    }
}
