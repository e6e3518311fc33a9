/// Responses read from CSV, with the text ids behind the integer indices of `matrix`.
public struct LabeledResponses: Sendable {
    /// `user_id` per learner index, in order of first appearance.
    public var learnerIDs: [String]
    /// `item_id` per item index, in order of first appearance.
    public var itemIDs: [String]
    public var matrix: ResponseMatrix
    /// Rows dropped because the learner had already answered the item (the first answer is kept).
    public var duplicatesDropped: Int

    public init(learnerIDs: [String], itemIDs: [String], matrix: ResponseMatrix, duplicatesDropped: Int = 0) {
        self.learnerIDs = learnerIDs
        self.itemIDs = itemIDs
        self.matrix = matrix
        self.duplicatesDropped = duplicatesDropped
    }
}

/// The `user_id,item_id,correct` CSV format of responses.
public enum ResponsesCSV {
    /// Parses CSV text with a header naming `user_id`, `item_id` and `correct` (any order, extra columns
    /// ignored). `correct` is `1`/`0` (also accepted: `true`/`false`, `t`/`f`). Repeated answers of a learner to an
    /// item keep the first row and are counted in `duplicatesDropped`.
    ///
    /// - Throws: `IRTError` naming the line, for a missing header column, an empty id, a bad `correct` value, or
    ///   no rows at all.
    public static func parse(_ text: String) throws(IRTError) -> LabeledResponses {
        var copy = text
        var result: Result<LabeledResponses, IRTError> = .failure(IRTError("no input"))
        copy.withUTF8 { bytes in
            do throws(IRTError) {
                result = .success(try parse(bytes: bytes))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// `parse(_:)` over the UTF-8 bytes of a file, without making them a `String` first (invalid UTF-8 in an id is
    /// repaired as `String(decoding:as:)` would). Ids are interned by their bytes; see `CSVInterner`.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(IRTError) -> LabeledResponses {
        var positions: [Int] = []
        var needed = 0
        var learnerIndex = CSVInterner()
        var itemIndex = CSVInterner()
        var learners: [Int32] = []
        var items: [Int32] = []
        var correct: [Bool] = []
        // About 16 bytes a row for short ids: one growth at most for most files.
        learners.reserveCapacity(bytes.count / 16)
        items.reserveCapacity(bytes.count / 16)
        correct.reserveCapacity(bytes.count / 16)
        // A loop over local variables, not a closure capturing them: no dynamic exclusivity checks per row.
        var scanner = CSVRecords.Scanner(bytes)
        var fields = CSVRecords.Fields(bytes: bytes)
        while let line = try scanner.next(into: &fields) {
            if positions.isEmpty {
                positions = try CSVText.columns(["user_id", "item_id", "correct"], in: fields.strings())
                needed = (positions.max() ?? 0) + 1
                continue
            }
            guard fields.count >= needed else {
                throw IRTError("line \(line): expected \(needed) fields, got \(fields.count)")
            }
            guard let learner = try id(fields, positions[0], &learnerIndex),
                let item = try id(fields, positions[1], &itemIndex)
            else { throw IRTError("line \(line): empty user_id or item_id") }
            learners.append(learner)
            items.append(item)
            if let bytes = fields.slice(positions[2]), bytes.count == 1,
                bytes[0] == UInt8(ascii: "1") || bytes[0] == UInt8(ascii: "0")
            {
                correct.append(bytes[0] == UInt8(ascii: "1"))
            } else {
                correct.append(try Self.answer(fields.string(positions[2]), line: line))
            }
        }
        guard !positions.isEmpty else { throw IRTError("empty input: expected a header user_id,item_id,correct") }
        guard !learners.isEmpty else { throw IRTError("no response rows after the header") }
        let learnerIDs = learnerIndex.ids
        let itemIDs = itemIndex.ids
        let keep = firstAnswers(
            learners: learners, items: items, learnerCount: learnerIDs.count, itemCount: itemIDs.count)
        let dropped = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
        if dropped > 0 {
            learners = learners.indices.filter { keep[$0] }.map { learners[$0] }
            items = items.indices.filter { keep[$0] }.map { items[$0] }
            correct = correct.indices.filter { keep[$0] }.map { correct[$0] }
        }
        let matrix = try ResponseMatrix(
            learnerCount: learnerIDs.count, itemCount: itemIDs.count, learners: learners, items: items,
            correct: correct)
        return LabeledResponses(learnerIDs: learnerIDs, itemIDs: itemIDs, matrix: matrix, duplicatesDropped: dropped)
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

    /// CSV text with header `user_id,item_id,correct`, learner by learner, items ascending by index.
    public static func format(_ responses: LabeledResponses) -> String {
        var out = "user_id,item_id,correct\n"
        for l in 0..<responses.matrix.learnerCount {
            let user = CSVText.escape(responses.learnerIDs[l])
            for (item, correct) in responses.matrix.responses(ofLearner: l) {
                out += "\(user),\(CSVText.escape(responses.itemIDs[item])),\(correct ? 1 : 0)\n"
            }
        }
        return out
    }

    /// Whether each row is its learner's first answer to its item: a stable bucket pass by learner, with one
    /// stamp per item, in O(rows + learners + items).
    private static func firstAnswers(learners: [Int32], items: [Int32], learnerCount: Int, itemCount: Int) -> [Bool] {
        var start = [Int](repeating: 0, count: learnerCount + 1)
        for l in learners { start[Int(l) + 1] += 1 }
        for l in 0..<learnerCount { start[l + 1] += start[l] }
        var order = [Int32](repeating: 0, count: learners.count)
        var next = start
        for (row, l) in learners.enumerated() {
            order[next[Int(l)]] = Int32(row)
            next[Int(l)] += 1
        }
        var keep = [Bool](repeating: true, count: learners.count)
        var stamp = [Int](repeating: -1, count: itemCount)
        for l in 0..<learnerCount {
            for row in order[start[l]..<start[l + 1]] {
                let j = Int(items[Int(row)])
                if stamp[j] == l { keep[Int(row)] = false } else { stamp[j] = l }
            }
        }
        return keep
    }
}
