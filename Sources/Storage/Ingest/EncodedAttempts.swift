import Postgres

/// A batch's rows in COPY's binary format (`AttemptStore.columns`), in batch order, with where each one ends.
///
/// Encoding is one sequential pass, reading each id where it lies in the body in turn. The insertion order then
/// visits the rows at random and copies each as one contiguous piece. Measured, that costs a third of encoding in
/// insertion order, which gathers five scattered pieces per row (the row and its four ids in the body): cache misses.
struct EncodedAttempts: ~Copyable {
    let rows: BinaryCopyRows
    /// The end of row `i` in `rows`; it starts where row `i - 1` ends.
    let ends: [Int]

    init(_ batch: AttemptBatch) {
        var rows = BinaryCopyRows(columnCount: 8, reservingCapacity: Self.size(of: batch))
        var ends: [Int] = []
        ends.reserveCapacity(batch.count)
        batch.bytes.withUnsafeBytes { bytes in
            for row in batch.rows {
                Self.appendFields(of: row, bytes: bytes, to: &rows)
                // Eight fields were appended: ending the row cannot fail.
                try! rows.endRow()
                ends.append(rows.byteCount)
            }
        }
        assert(rows.byteCount == Self.size(of: batch), "the encoding's size is computed exactly")
        self.rows = rows
        self.ends = ends
    }

    /// Appends the eight fields of `row` (in `AttemptStore.columns` order), its ids read from `bytes`, the bytes of
    /// the batch or body the row was scanned from.
    @inline(__always)
    static func appendFields(of row: AttemptBatch.Row, bytes: UnsafeRawBufferPointer, to rows: inout BinaryCopyRows) {
        rows.appendText(row.user.bytes(in: bytes))
        rows.appendText(row.item.bytes(in: bytes))
        rows.append(row.answeredAt)
        rows.append(row.correct)
        rows.append(row.responseTimeMs < 0 ? nil : row.responseTimeMs)
        rows.append(row.hints < 0 ? nil : row.hints)
        rows.appendText(row.topic.bytes(in: bytes))
        rows.appendText(row.session.bytes(in: bytes))
    }

    /// The exact size of the encoding: per row, the field count and eight field lengths, then the values.
    static func size(of batch: AttemptBatch) -> Int {
        func length(_ span: AttemptBatch.Span) -> Int { span.isNull ? 0 : Int(span.length) }
        var size = 0
        for row in batch.rows {
            size += 2 + 8 * 4 + 8 + 1 + length(row.user) + length(row.item) + length(row.topic) + length(row.session)
            if row.responseTimeMs >= 0 { size += 4 }
            if row.hints >= 0 { size += 4 }
        }
        return size
    }

    /// COPYs the rows into `table` in `order`.
    func copy(in order: [Int32], into table: String, connection: PostgresConnection) throws {
        let copy: PostgresQuery = "COPY \(identifier: table) (\(AttemptStore.columns)) FROM STDIN (FORMAT binary)"
        try connection.copyInBinary(copy, columnCount: 8) { writer in
            try rows.withBytes { bytes in
                try ends.withUnsafeBufferPointer { ends in
                    for index in order {
                        let row = Int(index)
                        let start = row == 0 ? 0 : ends[row - 1]
                        try writer.appendEncoded(UnsafeRawBufferPointer(rebasing: bytes[start..<ends[row]]))
                    }
                }
            }
        }
    }
}
