import Postgres

/// What an ingest request did.
public struct IngestResult: Sendable, Equatable {
    public var received: Int
    public var inserted: Int
    public var duplicates: Int
}

/// Writes attempts in the caller's transaction, all or nothing. The common case — answers never seen before — is
/// one COPY straight into `attempts` (inside a savepoint). If that meets a duplicate, the savepoint is rolled back
/// and the batch goes the careful way: COPY into a temporary table, then INSERT … ON CONFLICT DO NOTHING, which
/// skips re-sent answers and counts them.
public enum AttemptStore {
    static let columns: PostgresQuery =
        "user_id, item_id, answered_at, correct, response_time_ms, hints, topic_id, session_id"

    /// Writes records built in code (demo data, tests) as one batch.
    public static func insert(_ records: [AttemptRecord], into pool: PostgresPool) throws -> IngestResult {
        try insert(AttemptBatch(records), into: pool)
    }

    public static func insert(_ batch: AttemptBatch, into pool: PostgresPool) throws -> IngestResult {
        try pool.withTransaction { connection in try insert(batch, connection: connection) }
    }

    /// Inserts inside the caller's transaction.
    public static func insert(_ batch: AttemptBatch, connection: PostgresConnection) throws -> IngestResult {
        let order = insertionOrder(batch)
        let encoded = EncodedAttempts(batch)
        try connection.execute("SAVEPOINT attempts_direct")
        do {
            try encoded.copy(in: order, into: "attempts", connection: connection)
            try connection.execute("RELEASE SAVEPOINT attempts_direct")
            return IngestResult(received: batch.count, inserted: batch.count, duplicates: 0)
        } catch let error as PostgresError where error.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT attempts_direct")
        }
        return try insertSkippingDuplicates(batch, encoded: encoded, order: order, connection: connection)
    }

    /// The careful way, once a COPY straight into `attempts` met a duplicate: COPY into a temporary table, then
    /// INSERT … ON CONFLICT DO NOTHING, counting the skipped rows.
    static func insertSkippingDuplicates(
        _ batch: AttemptBatch, encoded: borrowing EncodedAttempts, order: [Int32], connection: PostgresConnection
    ) throws -> IngestResult {
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming_attempts (
                user_id text COLLATE "C", item_id text COLLATE "C", answered_at timestamptz, correct boolean,
                response_time_ms integer, hints integer, topic_id text COLLATE "C", session_id text COLLATE "C"
            ) ON COMMIT DELETE ROWS
            """)
        try connection.execute("TRUNCATE incoming_attempts")
        try encoded.copy(in: order, into: "incoming_attempts", connection: connection)
        let inserted = try connection.query(
            """
            INSERT INTO attempts (\(columns))
            SELECT \(columns) FROM incoming_attempts ORDER BY user_id, answered_at, item_id
            ON CONFLICT DO NOTHING
            """
        ).affectedRows
        return IngestResult(received: batch.count, inserted: inserted, duplicates: batch.count - inserted)
    }
}
