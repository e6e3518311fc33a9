import Postgres
import UTCTime

/// One learner's activity as the last detection found it, from `learner_activity`.
public struct LearnerActivityRow: Sendable, Equatable {
    public var userID: String
    public var lastActiveAt: Timestamp
    public var inactiveSince: Timestamp?
    public var daysInactive: Int
    public var status: String
    public var detectedAt: Timestamp
    public var notifiedAt: Timestamp?

    init(row: PostgresRow) throws {
        userID = try row.decode(0)
        lastActiveAt = try row.decode(1)
        inactiveSince = try row.decode(2)
        daysInactive = try row.decode(3)
        status = try row.decode(4)
        detectedAt = try row.decode(5)
        notifiedAt = try row.decode(6)
    }
}

/// Reads of the activity the detect-inactivity stage writes.
public enum ActivityReads {
    /// Learners found inactive for at least `minimumDays`, longest inactive first (then by id, descending), `limit`
    /// after the position `after` (days inactive and learner id, exclusive).
    public static func inactive(
        minimumDays: Int, after: (days: Int, userID: String)?, limit: Int, _ connection: PostgresConnection
    ) throws -> [LearnerActivityRow] {
        let afterDays = after?.days
        let afterUser = after?.userID
        return try connection.query(
            """
            SELECT user_id, last_active_at, inactive_since, days_inactive, status, detected_at, notified_at
            FROM learner_activity
            WHERE status = 'inactive' AND days_inactive >= \(minimumDays)
              AND (\(afterDays)::int8 IS NULL
                OR (days_inactive, user_id) < (\(afterDays)::int8, \(afterUser)::text COLLATE "C"))
            ORDER BY days_inactive DESC, user_id DESC LIMIT \(limit)
            """
        ).rows.map(LearnerActivityRow.init(row:))
    }
}
