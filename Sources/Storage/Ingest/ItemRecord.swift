import Fields
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
        do throws(FieldError) {
            for (index, entry) in objects.enumerated() {
                let reader = RecordReader.fields(of: entry, index: index)
                let record = try record(reader)
                guard seen.insert(record.itemID).inserted else {
                    throw reader.failure("item_id", "repeats an earlier record")
                }
                records.append(record)
            }
        } catch {
            throw .invalid(error.message)
        }
        return records
    }

    /// One record, checked by the shared field rules.
    static func record(_ reader: FieldReader) throws(FieldError) -> ItemRecord {
        try reader.rejectUnknown(fields)
        // `anchor` is a boolean with a default, not nullable (openapi.yaml): null is refused, not read as false.
        guard !reader.isNull("anchor") else { throw reader.failure("anchor", "must be true or false, got null") }
        var record = ItemRecord(
            itemID: try reader.requiredIdentifier("item_id"), topicID: try reader.identifier("topic_id"),
            anchor: try reader.bool("anchor", default: false), a: try reader.number("a"), b: try reader.number("b"),
            c: try reader.number("c"))
        if let a = record.a, !(a > 0 && a <= 10) { throw reader.failure("a", "must be in (0, 10], got \(a)") }
        if let b = record.b, !(abs(b) <= 10) { throw reader.failure("b", "must be in [-10, 10], got \(b)") }
        if let c = record.c, !(c >= 0 && c < 1) { throw reader.failure("c", "must be in [0, 1), got \(c)") }
        if record.anchor {
            guard record.a != nil else { throw reader.failure("a", "is required for an anchor item") }
            guard record.b != nil else { throw reader.failure("b", "is required for an anchor item") }
            record.c = record.c ?? 0
        }
        return record
    }
}
