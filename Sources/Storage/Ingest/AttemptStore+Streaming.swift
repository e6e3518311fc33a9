import Postgres
import UTCTime

/// The ingest route's write: a request body streamed straight into COPY while it is still being read.
///
/// The scanner hands each record over as soon as it has read it; the record is encoded into the COPY's buffer, which
/// goes to the server every MiB, so PostgreSQL inserts the first rows while the rest of the body is still scanned.
/// Measured on the ingest bench (100,000-record gzip NDJSON requests), scanning and encoding the whole body before
/// the COPY started left the database idle for a good part of each request; streaming overlaps the two. Rows go in
/// the order the body holds them: there is no batch to sort before the first one is sent. (Clients that export by
/// learner and day, as the demo data does, keep a learner's rows together all the same; the order only affects speed,
/// never which rows are stored. Batches built in code still go through `insert(_:into:)`, in primary-key order.)
///
/// All or nothing, as before: the COPY runs inside the request's transaction (and a savepoint), so a body refused
/// half-way writes nothing. Whatever the scanner does not fully understand — including every invalid record — aborts
/// the COPY; the body then goes the old way (`AttemptBatch.parse`, whose general parser names the bad record, then
/// `insert`), as does a body meeting a duplicate (COPY into a temporary table, ON CONFLICT DO NOTHING).
extension AttemptStore {
    /// Parses, validates and writes an ingest body in one transaction of `pool`. Throws `IngestError` for an invalid
    /// body (nothing written) — whatever the database did, as when bodies were validated before any database work —
    /// and otherwise the database's errors.
    public static func ingest(
        _ body: [UInt8], format: IngestFormat, maximumRecords: Int, now: Timestamp = .now(), into pool: PostgresPool
    ) throws -> IngestResult {
        do {
            return try pool.withTransaction { connection in
                try ingest(body, format: format, maximumRecords: maximumRecords, now: now, connection: connection)
            }
        } catch let error as PostgresError {
            // An invalid body is refused as invalid even when the database failed (or was never reached).
            _ = try AttemptBatch.parse(body, format: format, maximumRecords: maximumRecords, now: now)
            throw error
        }
    }

    /// Writes an ingest body inside the caller's transaction (see the type's notes).
    public static func ingest(
        _ body: [UInt8], format: IngestFormat, maximumRecords: Int, now: Timestamp = .now(),
        connection: PostgresConnection
    ) throws -> IngestResult {
        // Every record opens with a brace, so their count bounds the records: a body that may hold too many goes the
        // old way, refused before the database does any work instead of after it inserted `maximumRecords` rows. (A
        // gzip body is counted step by step as it inflates: `ingest(gzip:…)` refuses it at the first step past the
        // limit, after rolling back the rows earlier steps streamed.)
        guard openingBraces(in: body) <= maximumRecords else {
            return try insert(
                AttemptBatch.parse(body, format: format, maximumRecords: maximumRecords, now: now),
                connection: connection)
        }
        let latest = now.adding(microseconds: AttemptRecord.futureAllowance)
        return try copyInSavepoint(connection, format: format, maximumRecords: maximumRecords, now: now) {
            body
        } stream: { writer in
            try body.withUnsafeBufferPointer { buffer in
                let bytes = UnsafeRawBufferPointer(buffer)
                try AttemptScanner.forEachRecord(
                    in: buffer, format: format, maximumRecords: maximumRecords, latest: latest
                ) { row in
                    try writer.appendRow { rows in EncodedAttempts.appendFields(of: row, bytes: bytes, to: &rows) }
                }
            }
        }
    }

    /// Runs the streamed COPY `stream` writes inside a savepoint. When the scanner gives up, or a row is already
    /// stored (23505), the savepoint is rolled back and the whole body (`body()`) goes the old way: the general
    /// parser names a bad record or accepts what the scanner would not, and a duplicate goes through a temporary table.
    static func copyInSavepoint(
        _ connection: PostgresConnection, format: IngestFormat, maximumRecords: Int, now: Timestamp,
        body: () throws -> [UInt8], stream: (inout BinaryCopyInWriter) throws -> Void
    ) throws -> IngestResult {
        try connection.execute("SAVEPOINT attempts_direct")
        do {
            let copy: PostgresQuery = "COPY attempts (\(columns)) FROM STDIN (FORMAT binary)"
            let count = try connection.copyInBinary(copy, columnCount: 8, stream)
            try connection.execute("RELEASE SAVEPOINT attempts_direct")
            return IngestResult(received: count, inserted: count, duplicates: 0)
        } catch is AttemptScanner.GiveUp {
            try connection.execute("ROLLBACK TO SAVEPOINT attempts_direct")
            let batch = try AttemptBatch.parse(body(), format: format, maximumRecords: maximumRecords, now: now)
            return try insert(batch, connection: connection)
        } catch let error as PostgresError where error.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT attempts_direct")
            let batch = try AttemptBatch.parse(body(), format: format, maximumRecords: maximumRecords, now: now)
            return try insertSkippingDuplicates(
                batch, encoded: EncodedAttempts(batch), order: insertionOrder(batch), connection: connection)
        }
    }

    /// The number of `{` bytes in `body`.
    static func openingBraces(in body: [UInt8]) -> Int {
        body.withUnsafeBufferPointer { openingBraces(in: $0) }
    }

    /// The number of `{` bytes in `bytes` (a plain counting loop, which the compiler vectorises).
    static func openingBraces(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte == UInt8(ascii: "{") { count += 1 }
        return count
    }
}
