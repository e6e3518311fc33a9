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
    /// repaired as `String(decoding:as:)` would). Ids are interned by their bytes; see `CSVInterner`. A large file
    /// is read in slices on up to `threads` threads (default: all processors) with the same result; see
    /// `readSlices`.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, threads: Int? = nil) throws(IRTError)
        -> LabeledResponses
    {
        try parse(bytes: bytes, threads: threads ?? Parallel.processorCount, minimumSliceBytes: 1 << 21)
    }

    /// `parse(bytes:threads:)` with slices of at least `minimumSliceBytes` (tests make it small to split tiny files).
    static func parse(bytes: UnsafeBufferPointer<UInt8>, threads: Int, minimumSliceBytes: Int) throws(IRTError)
        -> LabeledResponses
    {
        var scanner = CSVRecords.Scanner(bytes)
        var fields = CSVRecords.Fields(bytes: bytes)
        guard try scanner.next(into: &fields) != nil else {
            throw IRTError("empty input: expected a header user_id,item_id,correct")
        }
        let positions = try CSVText.columns(["user_id", "item_id", "correct"], in: fields.strings())
        let columns = ResponseRows.Columns(learner: positions[0], item: positions[1], correct: positions[2])
        let bodyStart = scanner.offset
        let rows: ResponseRows
        if let sliced = readSlices(
            bytes, from: bodyStart, columns: columns, threads: threads, minimumSliceBytes: minimumSliceBytes)
        {
            rows = sliced
        } else {
            rows = try ResponseRows.read(&scanner, &fields, columns: columns)
        }
        guard !rows.learners.isEmpty else { throw IRTError("no response rows after the header") }
        var learners = rows.learners
        var items = rows.items
        var correct = rows.correct
        var dropped = 0
        if !rows.isOrdered {
            let keep = firstAnswers(
                learners: learners, items: items, learnerCount: rows.learnerIDs.count, itemCount: rows.itemIDs.count)
            dropped = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
            if dropped > 0 {
                learners = learners.indices.filter { keep[$0] }.map { learners[$0] }
                items = items.indices.filter { keep[$0] }.map { items[$0] }
                correct = correct.indices.filter { keep[$0] }.map { correct[$0] }
            }
        }
        let matrix = try ResponseMatrix(
            learnerCount: rows.learnerIDs.count, itemCount: rows.itemIDs.count, learners: learners, items: items,
            correct: correct)
        return LabeledResponses(
            learnerIDs: rows.learnerIDs, itemIDs: rows.itemIDs, matrix: matrix, duplicatesDropped: dropped)
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
