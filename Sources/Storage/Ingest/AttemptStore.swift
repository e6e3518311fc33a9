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
        let order = insertionOrder(records)
        try connection.execute("SAVEPOINT attempts_direct")
        do {
            try copy(records, in: order, into: "attempts", connection: connection)
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
        try copy(records, in: order, into: "incoming_attempts", connection: connection)
        let inserted = try connection.query(
            """
            INSERT INTO attempts (\(columns))
            SELECT \(columns) FROM incoming_attempts ORDER BY item_id, answered_at
            ON CONFLICT DO NOTHING
            """
        ).affectedRows
        return IngestResult(received: records.count, inserted: inserted, duplicates: records.count - inserted)
    }

    /// The order to write a batch in: by item, then time. Rows for one item then land together in the
    /// `(item_id, answered_at)` index, whose inserts are otherwise scattered over every item's pages; measured, this
    /// beats primary-key order (and arrival order) by a tenth of the whole ingest. Items are ranked once, so the
    /// sort compares integers rather than strings. (The order only affects speed: any order gives the same rows.)
    ///
    /// The walk through the items starts at `start` (a fraction of the way along, in byte order) and wraps round:
    /// with a random start, concurrent batches work in different parts of the index instead of queueing for the
    /// same pages.
    static func insertionOrder(_ records: [AttemptRecord], start: Double = .random(in: 0..<1)) -> [Int] {
        // Number the items as they come (one hash lookup per record, two for an item's first), then rank the
        // numbers by name.
        var numberOfItem: [String: Int] = [:]
        var itemNumbers = [Int]()
        itemNumbers.reserveCapacity(records.count)
        for record in records {
            let next = numberOfItem.count
            let number = numberOfItem[record.itemID, default: next]
            if number == next { numberOfItem[record.itemID] = next }
            itemNumbers.append(number)
        }
        let itemCount = numberOfItem.count
        let first = min(Int(start * Double(itemCount)), max(itemCount - 1, 0))
        var rankOfNumber = [Int](repeating: 0, count: itemCount)
        for (rank, item) in numberOfItem.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            rankOfNumber[numberOfItem[item]!] = (rank - first + itemCount) % itemCount
        }
        var keys = [(item: Int, time: Int64, index: Int)]()
        keys.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            keys.append((rankOfNumber[itemNumbers[index]], record.answeredAt.microseconds, index))
        }
        keys.sort { ($0.item, $0.time, $0.index) < ($1.item, $1.time, $1.index) }
        return keys.map(\.index)
    }

    /// An `integer` column's value. Parsing already bounds these; a record built elsewhere gets an error, not a trap.
    static func int4(_ value: Int?, _ column: String) throws(PostgresError) -> Int32? {
        guard let value else { return nil }
        guard let narrow = Int32(exactly: value) else {
            throw PostgresError(.usage, message: "\(column) \(value) does not fit an integer column")
        }
        return narrow
    }

    /// Binary COPY: the server need not parse the timestamps and numbers of every row.
    static func copy(_ records: [AttemptRecord], in order: [Int], into table: String, connection: PostgresConnection)
        throws
    {
        try connection.copyInBinary("COPY \(table) (\(columns)) FROM STDIN (FORMAT binary)", columnCount: 8) { writer in
            try records.withUnsafeBufferPointer { records in
                for index in order {
                    writer.append(records[index].userID)
                    writer.append(records[index].itemID)
                    writer.append(records[index].answeredAt)
                    writer.append(records[index].correct)
                    writer.append(try int4(records[index].responseTimeMs, "response_time_ms"))
                    writer.append(try int4(records[index].hints, "hints"))
                    writer.append(records[index].topicID)
                    writer.append(records[index].sessionID)
                    try writer.endRow()
                }
            }
        }
    }
}
