/// The rows of a responses CSV after its header, as parallel arrays of dense indices; ids are numbered in order of
/// first appearance, duplicates not yet dropped.
struct ResponseRows {
    var learnerIDs: [String] = []
    var itemIDs: [String] = []
    var learners: [Int32] = []
    var items: [Int32] = []
    var correct: [Bool] = []

    /// Where the header puts the three columns, and how many fields a row needs to hold them.
    struct Columns {
        let learner: Int
        let item: Int
        let correct: Int
        var needed: Int { max(learner, item, correct) + 1 }
    }

    /// Reads every record `scanner` has left; `fields` must be made for the scanner's bytes.
    ///
    /// - Throws: `IRTError` naming the line (counted from the scanner's start), for too few fields, an empty id or a
    ///   bad `correct` value.
    static func read(
        _ scanner: inout CSVRecords.Scanner, _ fields: inout CSVRecords.Fields, columns: Columns
    ) throws(IRTError) -> ResponseRows {
        // A loop over local variables, not a closure capturing them: no dynamic exclusivity checks per row.
        var learnerIndex = CSVInterner()
        var itemIndex = CSVInterner()
        var learners: [Int32] = []
        var items: [Int32] = []
        var correct: [Bool] = []
        // About 16 bytes a row for short ids: one growth at most for most files.
        let expected = (scanner.bytes.count - scanner.offset) / 16
        learners.reserveCapacity(expected)
        items.reserveCapacity(expected)
        correct.reserveCapacity(expected)
        let needed = columns.needed
        while let line = try scanner.next(into: &fields) {
            guard fields.count >= needed else {
                throw IRTError("line \(line): expected \(needed) fields, got \(fields.count)")
            }
            guard let learner = try id(fields, columns.learner, &learnerIndex),
                let item = try id(fields, columns.item, &itemIndex)
            else { throw IRTError("line \(line): empty user_id or item_id") }
            learners.append(learner)
            items.append(item)
            if let bytes = fields.slice(columns.correct), bytes.count == 1,
                bytes[0] == UInt8(ascii: "1") || bytes[0] == UInt8(ascii: "0")
            {
                correct.append(bytes[0] == UInt8(ascii: "1"))
            } else {
                correct.append(try answer(fields.string(columns.correct), line: line))
            }
        }
        return ResponseRows(
            learnerIDs: learnerIndex.ids, itemIDs: itemIndex.ids, learners: learners, items: items, correct: correct)
    }

    /// The index of the id in field `index`, nil when it is empty.
    private static func id(_ fields: CSVRecords.Fields, _ index: Int, _ interner: inout CSVInterner) throws(IRTError)
        -> Int32?
    {
        if let bytes = fields.slice(index) { return interner.index(of: bytes) }
        return try fields.withBytes(index) { interner.index(of: $0) }
    }

    /// A `correct` field other than a bare `1` or `0`: `true`/`false`/`t`/`f` in any case, spaces around allowed.
    private static func answer(_ field: String, line: Int) throws(IRTError) -> Bool {
        switch CSVText.trim(field).lowercased() {
        case "1", "true", "t": return true
        case "0", "false", "f": return false
        default: throw IRTError("line \(line): correct must be 1 or 0, got '\(field)'")
        }
    }

    /// Whether the rows already come learner by learner with items strictly ascending within a learner (as a file
    /// written learner by learner does): then no learner answered an item twice.
    var isOrdered: Bool {
        learners.withUnsafeBufferPointer { learners in
            items.withUnsafeBufferPointer { items in
                for r in learners.indices.dropFirst() {
                    let previous = learners[r - 1]
                    guard learners[r] > previous || (learners[r] == previous && items[r] > items[r - 1]) else {
                        return false
                    }
                }
                return true
            }
        }
    }
}
