import UTCTime

/// `W(d, N)` of SPEC §3: the N whole UTC days ending with day d, `[d − (N−1) 00:00, d + 1 00:00)`.
public struct TimeWindow: Sendable, Equatable, CustomStringConvertible {
    public let lastDay: Day
    public let days: Int

    public init(endingOn lastDay: Day, days: Int) {
        // Unreachable from a request: request-given lengths are bounded to ≥ 1 where they are read
        // (`StageRequest.parse`, `AbilityRoutes.estimate`), and every other window has a literal length (7, 14, 28, 56).
        precondition(days > 0, "a window holds at least one day")
        self.lastDay = lastDay
        self.days = days
    }

    public var firstDay: Day { lastDay.advanced(by: -(days - 1)) }
    public var start: Timestamp { firstDay.start }
    public var end: Timestamp { lastDay.end }

    /// The window of the same length just before this one, `W(d − N, N)`.
    public var previous: TimeWindow { TimeWindow(endingOn: lastDay.advanced(by: -days), days: days) }

    public func contains(_ instant: Timestamp) -> Bool { instant >= start && instant < end }

    public var description: String { "[\(start.rfc3339), \(end.rfc3339))" }
}
