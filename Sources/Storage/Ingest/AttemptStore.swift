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
        try connection.execute("SAVEPOINT attempts_direct")
        do {
            try copy(batch, in: order, into: "attempts", connection: connection)
            try connection.execute("RELEASE SAVEPOINT attempts_direct")
            return IngestResult(received: batch.count, inserted: batch.count, duplicates: 0)
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
        try copy(batch, in: order, into: "incoming_attempts", connection: connection)
        let inserted = try connection.query(
            """
            INSERT INTO attempts (\(columns))
            SELECT \(columns) FROM incoming_attempts ORDER BY item_id, answered_at
            ON CONFLICT DO NOTHING
            """
        ).affectedRows
        return IngestResult(received: batch.count, inserted: inserted, duplicates: batch.count - inserted)
    }

    /// Binary COPY: the server need not parse the timestamps and numbers of every row, and each id goes from the
    /// batch's bytes (for a scanned body, the request itself) straight into the COPY buffer.
    static func copy(_ batch: AttemptBatch, in order: [Int32], into table: String, connection: PostgresConnection)
        throws
    {
        try connection.copyInBinary("COPY \(table) (\(columns)) FROM STDIN (FORMAT binary)", columnCount: 8) { writer in
            try batch.bytes.withUnsafeBytes { bytes in
                try batch.rows.withUnsafeBufferPointer { rows in
                    func text(_ span: AttemptBatch.Span) {
                        if span.isNull {
                            writer.appendNull()
                        } else {
                            writer.appendText(
                                UnsafeRawBufferPointer(
                                    rebasing: bytes[Int(span.offset)..<(Int(span.offset) + Int(span.length))]))
                        }
                    }
                    for index in order {
                        let row = rows[Int(index)]
                        text(row.user)
                        text(row.item)
                        writer.append(row.answeredAt)
                        writer.append(row.correct)
                        writer.append(row.responseTimeMs < 0 ? nil : row.responseTimeMs)
                        writer.append(row.hints < 0 ? nil : row.hints)
                        text(row.topic)
                        text(row.session)
                        try writer.endRow()
                    }
                }
            }
        }
    }
}
