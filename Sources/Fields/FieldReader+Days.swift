import UTCTime

extension FieldReader {
    /// The earliest day a date parameter may name: 2000-01-01 (SPEC §3). No data predates it.
    public static let earliestDay = Day(daysSinceEpoch: 10_957)

    /// A calendar day written YYYY-MM-DD between 2000-01-01 and today (UTC, by the clock), or nil when absent. This
    /// is the one place the documented range is enforced, for every date of every route (query, path and run
    /// parameters), so an out-of-range day is a 400 naming the field before anything is recorded or queried.
    public func day(_ name: String) throws(FieldError) -> Day? {
        guard let value = value(name) else { return nil }
        guard let text = value.string, let day = Day(iso: text) else {
            throw failure(name, "must be a date YYYY-MM-DD, got \(value.shown)")
        }
        let today = Day.today()
        guard day >= Self.earliestDay, day <= today else {
            throw failure(name, "must be between \(Self.earliestDay.iso) and today (\(today.iso)), got \(day.iso)")
        }
        return day
    }

    public func day(_ name: String, default fallback: Day) throws(FieldError) -> Day {
        try day(name) ?? fallback
    }

    /// A week's Monday (a day as `day(_:)` reads it that is a Monday), or nil when absent.
    public func weekStart(_ name: String) throws(FieldError) -> Day? {
        guard let day = try day(name) else { return nil }
        guard day.isoWeekday == 1 else { throw failure(name, "must be a Monday, got \(day.iso)") }
        return day
    }

    public func weekStart(_ name: String, default fallback: Day) throws(FieldError) -> Day {
        try weekStart(name) ?? fallback
    }
}
