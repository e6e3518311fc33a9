import IRT
import UTCTime

/// What demo data to generate. The same options (seed and last day included) give the same data.
public struct DemoDataOptions: Sendable {
    public var learners = 200
    public var items = 120
    public var days = 60
    public var seed: UInt64 = 1
    /// The model the responses follow: 2PL (c = 0) or 3PL (c ~ U(0.10, 0.25)).
    public var model: IRTModel = .twoPL
    /// Mean answers per session.
    public var answersPerSession = 8
    /// The last day with answers (default: yesterday, so that nothing lies in the future).
    public var lastDay: Day = Day.today().advanced(by: -1)
    /// Attempts are written in transactions of this many.
    public var batchSize = 100_000

    public init() {}

    /// Items per topic: topics hold about 25 items each.
    var topicCount: Int { max(1, (items + 24) / 25) }
    /// The first 5% of items (at least 3, at most 50) are anchors with their true parameters.
    var anchorCount: Int { min(items, max(3, min(50, items / 20))) }
}

/// What was generated.
public struct DemoDataSummary: Sendable {
    public var learners: Int
    public var items: Int
    public var topics: Int
    public var anchors: Int
    public var attempts: Int
    public var inserted: Int
}
