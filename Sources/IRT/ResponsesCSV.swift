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
        var positions: [Int] = []
        var learnerIndex: [String: Int32] = [:]
        var itemIndex: [String: Int32] = [:]
        var learnerIDs: [String] = []
        var itemIDs: [String] = []
        var learners: [Int32] = []
        var items: [Int32] = []
        var correct: [Bool] = []
        try CSVText.forEachRecord(text) { (line, fields) throws(IRTError) in
            if positions.isEmpty {
                positions = try CSVText.columns(["user_id", "item_id", "correct"], in: fields)
                return
            }
            let needed = (positions.max() ?? 0) + 1
            guard fields.count >= needed else {
                throw IRTError("line \(line): expected \(needed) fields, got \(fields.count)")
            }
            let user = CSVText.trim(fields[positions[0]])
            let item = CSVText.trim(fields[positions[1]])
            guard !user.isEmpty, !item.isEmpty else { throw IRTError("line \(line): empty user_id or item_id") }
            let answer: Bool
            switch CSVText.trim(fields[positions[2]]).lowercased() {
            case "1", "true", "t": answer = true
            case "0", "false", "f": answer = false
            default: throw IRTError("line \(line): correct must be 1 or 0, got '\(fields[positions[2]])'")
            }
            learners.append(index(of: user, in: &learnerIndex, ids: &learnerIDs))
            items.append(index(of: item, in: &itemIndex, ids: &itemIDs))
            correct.append(answer)
        }
        guard !positions.isEmpty else { throw IRTError("empty input: expected a header user_id,item_id,correct") }
        guard !learners.isEmpty else { throw IRTError("no response rows after the header") }
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

    /// The index of `id`, assigning the next one on first sight.
    private static func index(of id: String, in index: inout [String: Int32], ids: inout [String]) -> Int32 {
        if let known = index[id] { return known }
        ids.append(id)
        index[id] = Int32(ids.count - 1)
        return Int32(ids.count - 1)
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
