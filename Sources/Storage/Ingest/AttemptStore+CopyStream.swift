/// The ingest path's COPY as a file: for the bench's ingest floor (issue 16), which times PostgreSQL's binary COPY of
/// the same rows with nothing of ours in the way (no JSON, gzip or HTTP).
extension AttemptStore {
    /// A whole binary COPY stream of `batch` for `COPY attempts (user_id, item_id, answered_at, correct,
    /// response_time_ms, hints, topic_id, session_id) FROM … (FORMAT binary)`: the header, the rows encoded as the
    /// ingest path encodes them (`EncodedAttempts`), in primary-key order (`insertionOrder`, starting at the first
    /// learner; the floor the issue defines), and the trailer. The route's streamed COPY sends rows in body order
    /// instead, with no sort.
    public static func binaryCopyStream(_ batch: AttemptBatch) -> [UInt8] {
        let encoded = EncodedAttempts(batch)
        let order = insertionOrder(batch, start: 0)
        // "PGCOPY\n\xFF\r\n\0", then flags and header-extension length, both zero.
        var stream: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)
        stream.reserveCapacity(stream.count + encoded.rows.byteCount + 2)
        encoded.rows.withBytes { bytes in
            for index in order {
                let row = Int(index)
                let start = row == 0 ? 0 : encoded.ends[row - 1]
                stream.append(contentsOf: bytes[start..<encoded.ends[row]])
            }
        }
        stream.append(contentsOf: [0xFF, 0xFF])
        return stream
    }

    /// The column list of the ingest path's COPY, in the order `binaryCopyStream` encodes them.
    public static var copyColumns: String { columns.sql }
}
