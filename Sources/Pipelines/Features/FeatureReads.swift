import Postgres
import UTCTime

/// One learner's features of one topic and day, from `features_topic_daily`.
public struct TopicDayFeatures: Sendable, Equatable {
    /// The topic; empty for attempts without one.
    public var topicID: String
    public var date: Day
    public var attempts: Int64
    public var correct: Int64
    public var averageTimeMs: Double?
    public var medianTimeMs: Double?
    public var hints: Int64
    public var thetaEstimate: Double?
    public var thetaSD: Double?
    public var improvement: Double?
    public var lastSeenAt: Timestamp
    public var computedAt: Timestamp

    init(row: PostgresRow) throws {
        topicID = try row.decode(0)
        date = try row.decode(1)
        attempts = try row.decode(2)
        correct = try row.decode(3)
        averageTimeMs = try row.decode(4)
        medianTimeMs = try row.decode(5)
        hints = try row.decode(6)
        thetaEstimate = try row.decode(7)
        thetaSD = try row.decode(8)
        improvement = try row.decode(9)
        lastSeenAt = try row.decode(10)
        computedAt = try row.decode(11)
    }
}

/// Reads of the daily features the aggregate-features stage writes.
public enum FeatureReads {
    /// One learner's features of the days `from…to` (inclusive), optionally of one topic; newest day first, then by
    /// topic.
    public static func features(
        of user: String, from: Day, to: Day, topic: String?, _ connection: PostgresConnection
    ) throws -> [TopicDayFeatures] {
        try connection.query(
            """
            SELECT topic_id, date, attempts, correct, avg_time_ms, rt_median, hints, theta_estimate,
                theta_sd, improvement, last_seen_at, computed_at
            FROM features_topic_daily
            WHERE user_id = \(user) AND date >= \(from) AND date <= \(to)
                AND (\(topic)::text IS NULL OR topic_id = \(topic))
            ORDER BY date DESC, topic_id
            """
        ).rows.map(TopicDayFeatures.init(row:))
    }
}
