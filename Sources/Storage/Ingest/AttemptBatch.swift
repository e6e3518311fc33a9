import UTCTime

/// Attempts as the ingest path carries them to COPY: fixed-size rows whose ids are byte ranges of one byte array.
///
/// For a body the fast scanner read, that array is the body itself: no id becomes a `String`, and the COPY copies
/// each id's bytes straight from the request (ids without escapes are their own UTF-8). Records from anywhere else
/// (the general parser, demo data, tests) are packed into a fresh array by `init(_:)`.
public struct AttemptBatch: Sendable {
    /// A byte range of `bytes`; a negative length is NULL.
    struct Span: Equatable {
        var offset: UInt32
        var length: Int32

        static let null = Span(offset: 0, length: -1)
        var isNull: Bool { length < 0 }

        /// The range's bytes in `bytes` (the batch's), or nil for NULL.
        func bytes(in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
            guard !isNull else { return nil }
            return UnsafeRawBufferPointer(rebasing: bytes[Int(offset)..<(Int(offset) + Int(length))])
        }
    }

    /// One attempt. Optional counts are -1 when absent (valid ones are never negative).
    struct Row {
        var user: Span
        var item: Span
        var topic: Span
        var session: Span
        var answeredAt: Timestamp
        var responseTimeMs: Int32
        var hints: Int32
        var correct: Bool
    }

    /// The UTF-8 bytes the rows' spans point into.
    let bytes: [UInt8]
    let rows: [Row]

    init(bytes: [UInt8], rows: [Row]) {
        // Unreachable from a request: ingest bodies are at most `IngestRoutes.maximumBytes` (64 MiB, after inflation);
        // the scanner's batch holds the body itself and `init(_:)` packs ids no longer than their text in the body.
        precondition(bytes.count <= Int(UInt32.max), "an attempt batch's bytes must be addressable by UInt32 offsets")
        self.bytes = bytes
        self.rows = rows
    }

    /// Packs records, their ids one after another in a new byte array. Records built in code are not checked as
    /// parsing checks a body, but a count outside 0…Int32.max is refused here: it has no place in a row.
    public init(_ records: [AttemptRecord]) throws(IngestError) {
        var bytes: [UInt8] = []
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        func span(_ text: String?) -> Span {
            guard let text else { return .null }
            let offset = UInt32(truncatingIfNeeded: bytes.count)
            bytes.append(contentsOf: text.utf8)
            return Span(offset: offset, length: Int32(truncatingIfNeeded: bytes.count - Int(offset)))
        }
        func count(_ value: Int?, _ field: String, _ record: Int) throws(IngestError) -> Int32 {
            guard let value else { return -1 }
            guard value >= 0, let narrow = Int32(exactly: value) else {
                throw .invalid("record \(record): field \"\(field)\" must be between 0 and \(Int32.max), got \(value)")
            }
            return narrow
        }
        for (index, record) in records.enumerated() {
            rows.append(
                Row(
                    user: span(record.userID), item: span(record.itemID), topic: span(record.topicID),
                    session: span(record.sessionID), answeredAt: record.answeredAt,
                    responseTimeMs: try count(record.responseTimeMs, "response_time_ms", index + 1),
                    hints: try count(record.hints, "hints", index + 1), correct: record.correct))
        }
        self.init(bytes: bytes, rows: rows)
    }

    /// Parses and validates an ingest body. The first bad record refuses the whole body.
    public static func parse(
        _ body: [UInt8], format: IngestFormat, maximumRecords: Int, now: Timestamp = .now()
    ) throws(IngestError) -> AttemptBatch {
        let latest = now.adding(microseconds: AttemptRecord.futureAllowance)
        if let batch = try? AttemptScanner.scan(body, format: format, maximumRecords: maximumRecords, latest: latest) {
            return batch
        }
        return try AttemptBatch(
            AttemptRecord.parseGenerally(body, format: format, maximumRecords: maximumRecords, latest: latest))
    }

    public var count: Int { rows.count }

    /// The attempts as records (for tests and messages; the write path never builds them).
    public var records: [AttemptRecord] {
        rows.map { row in
            AttemptRecord(
                userID: string(row.user) ?? "", itemID: string(row.item) ?? "", correct: row.correct,
                answeredAt: row.answeredAt, topicID: string(row.topic), sessionID: string(row.session),
                responseTimeMs: row.responseTimeMs < 0 ? nil : Int(row.responseTimeMs),
                hints: row.hints < 0 ? nil : Int(row.hints))
        }
    }

    func string(_ span: Span) -> String? {
        bytes.withUnsafeBytes { span.bytes(in: $0).map { String(decoding: $0, as: UTF8.self) } }
    }
}
