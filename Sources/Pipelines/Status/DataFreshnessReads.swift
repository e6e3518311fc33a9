import Postgres
import UTCTime

/// How fresh the ingested data is, for `/v1/status`: the newest `answered_at` and the attempts of the last 24 hours.
/// Both go through the BRIN index on `answered_at`, which skips every block range older than the window: the newest
/// answer is looked for in widening windows (a day, a week, a month, a year) before the whole table is read.
public enum DataFreshnessReads {
    public struct Freshness: Sendable, Equatable {
        public var newestAnsweredAt: Timestamp?
        public var attemptsLast24Hours: Int
    }

    /// The bounds are bound values, not `clock_timestamp()`: a volatile function in the condition keeps the planner
    /// from the index (a parallel sequential scan of every attempt; 373 ms instead of 12 ms on 3 M rows).
    public static func freshness(_ connection: PostgresConnection, now: Timestamp = .now()) throws -> Freshness {
        var newest: Timestamp?
        for days in [1, 7, 31, 366] {
            newest = try connection.query(
                "SELECT max(answered_at) FROM attempts WHERE answered_at > \(now.adding(days: -days))")[0].decode(0)
            if newest != nil { break }
        }
        if newest == nil { newest = try connection.query("SELECT max(answered_at) FROM attempts")[0].decode(0) }
        let recent: Int64 = try connection.query(
            "SELECT count(*) FROM attempts WHERE answered_at > \(now.adding(days: -1))")[0].decode(0)
        return Freshness(newestAnsweredAt: newest, attemptsLast24Hours: Int(recent))
    }
}
