import Gzip
import Postgres
import UTCTime

/// The ingest route's write for a gzip NDJSON body: inflated a megabyte at a time while its records stream into COPY.
///
/// Inflating a whole 100,000-record body (18 MB) took about 60 ms before its first row could be sent, and the database
/// sat idle for all of it: on the ingest bench that was half of the gap to the database's own COPY. Here each step
/// inflates at least `inflateStep` bytes, its complete lines are scanned and sent (a record never spans two steps:
/// NDJSON records end at a newline), and the next step is inflated while the database inserts. The body's buffer
/// stays whole, so a body the scanner gives up on goes the old way from the same bytes, as `ingest(_:format:…)` does.
///
/// The brace count that keeps a body of too many records away from the database is taken step by step: a body is
/// refused (by the general parser, nothing written) as soon as its braces so far exceed the limit.
extension AttemptStore {
    /// How many inflated bytes each step adds before its lines are scanned.
    static let inflateStep = 1 << 20

    /// Parses, validates and writes a gzip body, inflated to at most `inflatedLimit` bytes, in one transaction of
    /// `pool`. Throws `GzipError` for a body that does not inflate and `IngestError` for an invalid one (nothing
    /// written either way), whatever the database did, and otherwise the database's errors. JSON arrays are inflated
    /// whole first (their records may span lines).
    public static func ingest(
        gzip body: [UInt8], inflatedLimit: Int, format: IngestFormat, maximumRecords: Int, now: Timestamp = .now(),
        into pool: PostgresPool
    ) throws -> IngestResult {
        guard format == .ndjson else {
            let inflated = try Gzip.decompress(body, limit: inflatedLimit)
            return try ingest(inflated, format: format, maximumRecords: maximumRecords, now: now, into: pool)
        }
        let inflater = try GzipInflater(body, limit: inflatedLimit)
        do {
            return try pool.withTransaction { connection in
                try ingest(inflater, maximumRecords: maximumRecords, now: now, connection: connection)
            }
        } catch let error as PostgresError {
            // An invalid body is refused as invalid even when the database failed (or was never reached).
            _ = try AttemptBatch.parse(inflater.finish(), format: .ndjson, maximumRecords: maximumRecords, now: now)
            throw error
        }
    }

    /// Writes a gzip NDJSON body inside the caller's transaction, inflating it step by step (see the type's notes).
    static func ingest(
        _ inflater: GzipInflater, maximumRecords: Int, now: Timestamp, connection: PostgresConnection
    ) throws -> IngestResult {
        let latest = now.adding(microseconds: AttemptRecord.futureAllowance)
        return try copyInSavepoint(connection, format: .ndjson, maximumRecords: maximumRecords, now: now) {
            try inflater.finish()
        } stream: { writer in
            var records = 0
            var braces = 0
            var scanned = 0
            repeat {
                let before = inflater.count
                try inflater.inflate(atLeast: inflateStep)
                let whole = inflater.inflated
                // Up to the last newline, or to the end once the body is whole. Only the new bytes are searched: the
                // ones before (from `scanned` on) hold none, so one very long line costs no more than one pass.
                var end = whole.count
                if !inflater.isFinished {
                    let floor = max(scanned, before)
                    while end > floor && whole[end - 1] != UInt8(ascii: "\n") { end -= 1 }
                    if end == floor { end = scanned }
                }
                braces += openingBraces(in: UnsafeBufferPointer(rebasing: whole[scanned..<end]))
                guard braces <= maximumRecords else { throw AttemptScanner.GiveUp() }
                let part = UnsafeBufferPointer(rebasing: whole[..<end])
                let bytes = UnsafeRawBufferPointer(part)
                try AttemptScanner.forEachLine(
                    in: part, from: scanned, count: &records, maximumRecords: maximumRecords, latest: latest
                ) { row in
                    try writer.appendRow { rows in EncodedAttempts.appendFields(of: row, bytes: bytes, to: &rows) }
                }
                scanned = end
            } while !inflater.isFinished
            guard records > 0 else { throw AttemptScanner.GiveUp() }
        }
    }
}
