import JSON

/// An item with its topic and, for anchors, the parameters that calibration keeps fixed.
public struct ItemRecord: Sendable, Equatable {
    public var itemID: String
    public var topicID: String?
    public var anchor: Bool
    public var a: Double?
    public var b: Double?
    public var c: Double?

    public init(
        itemID: String, topicID: String? = nil, anchor: Bool = false, a: Double? = nil, b: Double? = nil,
        c: Double? = nil
    ) {
        self.itemID = itemID
        self.topicID = topicID
        self.anchor = anchor
        self.a = a
        self.b = b
        self.c = c
    }

    static let fields: Set<String> = ["item_id", "topic_id", "anchor", "a", "b", "c"]

    /// Parses and validates an items body: ids as for attempts; 0 < a ≤ 10, |b| ≤ 10, 0 ≤ c < 1; an anchor needs a
    /// and b (c defaults to 0).
    public static func parse(_ body: [UInt8], format: IngestFormat, maximumRecords: Int) throws(IngestError)
        -> [ItemRecord]
    {
        let objects = try RecordReader.objects(body, format: format.readerFormat, maximumRecords: maximumRecords)
        guard !objects.isEmpty else { throw .invalid("the body holds no records") }
        var records: [ItemRecord] = []
        var seen: Set<String> = []
        for (index, entry) in objects.enumerated() {
            let reader = FieldReader(object: entry.object, record: index + 1, line: entry.line)
            try reader.rejectUnknown(fields)
            let itemID = try reader.identifier("item_id", required: true)!
            guard seen.insert(itemID).inserted else { throw reader.fail("item_id", "repeats an earlier record") }
            var record = ItemRecord(
                itemID: itemID, topicID: try reader.identifier("topic_id", required: false),
                anchor: try reader.boolean("anchor", required: false) ?? false, a: try reader.number("a"),
                b: try reader.number("b"), c: try reader.number("c"))
            if let a = record.a, !(a > 0 && a <= 10) { throw reader.fail("a", "must be in (0, 10], got \(a)") }
            if let b = record.b, !(abs(b) <= 10) { throw reader.fail("b", "must be in [-10, 10], got \(b)") }
            if let c = record.c, !(c >= 0 && c < 1) { throw reader.fail("c", "must be in [0, 1), got \(c)") }
            if record.anchor {
                guard record.a != nil else { throw reader.fail("a", "is required for an anchor item") }
                guard record.b != nil else { throw reader.fail("b", "is required for an anchor item") }
                record.c = record.c ?? 0
            }
            records.append(record)
        }
        return records
    }
}
