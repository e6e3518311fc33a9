import Postgres

/// What an ingest request did.
public struct IngestResult: Sendable, Equatable {
    public var received: Int
    public var inserted: Int
    public var duplicates: Int
}

/// Writes attempts: COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING, all in one transaction,
/// so a request is written entirely or not at all and re-sent answers are skipped.
public enum AttemptStore {
    public static func insert(_ records: [AttemptRecord], into pool: PostgresPool) throws -> IngestResult {
        try pool.withTransaction { connection in try insert(records, connection: connection) }
    }

    /// Inserts inside the caller's transaction.
    public static func insert(_ records: [AttemptRecord], connection: PostgresConnection) throws -> IngestResult {
        try connection.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS incoming_attempts (
                user_id text COLLATE "C", item_id text COLLATE "C", answered_at timestamptz, correct boolean,
                response_time_ms integer, hints integer, topic_id text COLLATE "C", session_id text COLLATE "C"
            ) ON COMMIT DELETE ROWS
            """)
        try connection.copyIn(
            "COPY incoming_attempts (user_id, item_id, answered_at, correct, response_time_ms, hints, topic_id, "
                + "session_id) FROM STDIN"
        ) { writer in
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
        let inserted = try connection.query(
            """
            INSERT INTO attempts (user_id, item_id, answered_at, correct, response_time_ms, hints, topic_id, session_id)
            SELECT user_id, item_id, answered_at, correct, response_time_ms, hints, topic_id, session_id
            FROM incoming_attempts
            ON CONFLICT DO NOTHING
            """
        ).affectedRows
        return IngestResult(received: records.count, inserted: inserted, duplicates: records.count - inserted)
    }
}
