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
    static let columns = "user_id, item_id, answered_at, correct, response_time_ms, hints, topic_id, session_id"

    public static func insert(_ records: [AttemptRecord], into pool: PostgresPool) throws -> IngestResult {
        try pool.withTransaction { connection in try insert(records, connection: connection) }
    }

    /// Inserts inside the caller's transaction.
    public static func insert(_ records: [AttemptRecord], connection: PostgresConnection) throws -> IngestResult {
        // In primary-key order the index pages a batch touches are touched together: a third less time in the COPY.
        let records = records.sorted(by: primaryKeyOrder)
        try connection.execute("SAVEPOINT attempts_direct")
        do {
            try copy(records, into: "attempts", connection: connection)
            try connection.execute("RELEASE SAVEPOINT attempts_direct")
            return IngestResult(received: records.count, inserted: records.count, duplicates: 0)
        } catch let error as PostgresError where error.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT attempts_direct")
        }
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming_attempts (
                user_id text COLLATE "C", item_id text COLLATE "C", answered_at timestamptz, correct boolean,
                response_time_ms integer, hints integer, topic_id text COLLATE "C", session_id text COLLATE "C"
            ) ON COMMIT DELETE ROWS
            """)
        try connection.execute("TRUNCATE incoming_attempts")
        try copy(records, into: "incoming_attempts", connection: connection)
        let inserted = try connection.query(
            """
            INSERT INTO attempts (\(columns))
            SELECT \(columns) FROM incoming_attempts ORDER BY user_id, answered_at, item_id
            ON CONFLICT DO NOTHING
            """
        ).affectedRows
        return IngestResult(received: records.count, inserted: inserted, duplicates: records.count - inserted)
    }

    /// `(user_id, answered_at, item_id)` in the byte order of the "C" collation the key uses.
    static func primaryKeyOrder(_ lhs: AttemptRecord, _ rhs: AttemptRecord) -> Bool {
        if lhs.userID != rhs.userID { return lhs.userID.utf8.lexicographicallyPrecedes(rhs.userID.utf8) }
        if lhs.answeredAt != rhs.answeredAt { return lhs.answeredAt < rhs.answeredAt }
        return lhs.itemID.utf8.lexicographicallyPrecedes(rhs.itemID.utf8)
    }

    static func copy(_ records: [AttemptRecord], into table: String, connection: PostgresConnection) throws {
        try connection.copyIn("COPY \(table) (\(columns)) FROM STDIN") { writer in
            for record in records {
                writer.append(record.userID)
                writer.append(record.itemID)
                writer.append(record.answeredAt)
                writer.append(record.correct)
                writer.append(record.responseTimeMs)
                writer.append(record.hints)
                writer.append(record.topicID)
                writer.append(record.sessionID)
                try writer.endRow()
            }
        }
    }
}
