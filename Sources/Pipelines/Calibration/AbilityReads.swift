import Postgres
import UTCTime

/// A learner's ability estimate of one calibration version, from `mirt_ability`.
public struct AbilityRow: Sendable, Equatable {
    public var userID: String
    public var theta: Double
    public var se: Double
    public var model: String
    public var version: String
    public var fittedAt: Timestamp
    public var runID: Int64
    /// The day whose data the calibration used.
    public var asOf: Day

    static let columns: PostgresQuery = "user_id, theta, se, model, version, fitted_at, run_id, as_of"

    init(row: PostgresRow) throws {
        userID = try row.decode(0)
        theta = try row.decode(1)
        se = try row.decode(2)
        model = try row.decode(3)
        version = try row.decode(4)
        fittedAt = try row.decode(5)
        runID = try row.decode(6)
        asOf = try row.decode(7)
    }
}

/// One past estimate, from `mirt_ability_history`.
public struct AbilityHistoryRow: Sendable, Equatable {
    public var theta: Double
    public var se: Double
    public var fittedAt: Timestamp
    public var runID: Int64
    /// The day whose data the calibration used.
    public var asOf: Day

    init(row: PostgresRow) throws {
        theta = try row.decode(0)
        se = try row.decode(1)
        fittedAt = try row.decode(2)
        runID = try row.decode(3)
        asOf = try row.decode(4)
    }
}

/// Reads of the learners' ability estimates.
public enum AbilityReads {
    /// Each learner's latest estimate (the latest `as_of`, then run) (of `version`, or of any), in learner order, `limit` after `after` (exclusive).
    public static func latest(version: String?, after: String?, limit: Int, _ connection: PostgresConnection) throws
        -> [AbilityRow]
    {
        try connection.query(
            """
            SELECT \(AbilityRow.columns) FROM (
                SELECT DISTINCT ON (user_id) * FROM mirt_ability
                WHERE (\(version)::text IS NULL OR version = \(version))
                    AND (\(after)::text IS NULL OR user_id > \(after))
                ORDER BY user_id, as_of DESC, run_id DESC
            ) latest ORDER BY user_id LIMIT \(limit)
            """
        ).rows.map(AbilityRow.init(row:))
    }

    /// One learner's latest estimate (of `version`, or of any), nil when there is none.
    public static func latest(of user: String, version: String?, _ connection: PostgresConnection) throws
        -> AbilityRow?
    {
        try connection.query(
            """
            SELECT \(AbilityRow.columns) FROM mirt_ability
            WHERE user_id = \(user) AND (\(version)::text IS NULL OR version = \(version))
            ORDER BY as_of DESC, run_id DESC LIMIT 1
            """
        ).first.map(AbilityRow.init(row:))
    }

    /// One learner's past estimates of one version, newest `as_of` first (ties: the latest run first).
    public static func history(of user: String, version: String, limit: Int, _ connection: PostgresConnection) throws
        -> [AbilityHistoryRow]
    {
        try connection.query(
            """
            SELECT theta, se, fitted_at, run_id, as_of FROM mirt_ability_history
            WHERE user_id = \(user) AND version = \(version) ORDER BY as_of DESC, run_id DESC LIMIT \(limit)
            """
        ).rows.map(AbilityHistoryRow.init(row:))
    }
}
