/// Dichotomous responses of learners to items, by integer index, stored sparsely.
///
/// Responses are kept in compressed rows by learner (items ascending within a learner), one `Int32` per response
/// (`item << 1 | correct`), plus per-item response and correct counts. Memory is O(responses + learners + items);
/// nothing is ever sized learners × items. Estimation aggregates by item through exact integer sums (see
/// `ExpectationStep`), so no second copy by item is needed.
public struct ResponseMatrix: Sendable {
    /// Number of learners; indices run `0..<learnerCount`. Learners without responses are allowed.
    public let learnerCount: Int
    /// Number of items; indices run `0..<itemCount`. Items without responses are allowed.
    public let itemCount: Int
    /// `rowStart[l]..<rowStart[l + 1]` indexes learner `l`'s responses in `codes`.
    let rowStart: [Int]
    /// `item << 1 | (correct ? 1 : 0)` per response, learner-major, items ascending within a learner.
    let codes: [Int32]
    /// Responses per item.
    let itemResponses: [Int32]
    /// Correct responses per item.
    let itemCorrect: [Int32]

    /// Builds the matrix from parallel arrays, one entry per response.
    ///
    /// - Throws: `IRTError` when the arrays differ in length, an index is out of range, or a learner answered
    ///   the same item twice (the caller keeps the first answer).
    public init(
        learnerCount: Int, itemCount: Int, learners: [Int32], items: [Int32], correct: [Bool]
    ) throws(IRTError) {
        guard learnerCount >= 0, itemCount >= 0, learnerCount <= Int(Int32.max), itemCount <= 1 << 28 else {
            throw IRTError("learner count must be between 0 and 2^31 − 1, item count between 0 and 2^28")
        }
        guard learners.count == items.count, items.count == correct.count else {
            throw IRTError(
                "learners, items and correct must have the same length (\(learners.count), \(items.count), "
                    + "\(correct.count))")
        }
        let n = learners.count
        var itemResponses = [Int32](repeating: 0, count: itemCount)
        var itemCorrect = [Int32](repeating: 0, count: itemCount)
        var learnerResponses = [Int](repeating: 0, count: learnerCount + 1)
        // Whether the responses already come learner by learner, items strictly ascending within a learner (as a
        // file written learner by learner does): then they are their own sorted order and hold no repeats.
        var ordered = true
        for r in 0..<n {
            let l = Int(learners[r])
            let i = Int(items[r])
            guard l >= 0, l < learnerCount else { throw IRTError("learner index \(l) is outside 0..<\(learnerCount)") }
            guard i >= 0, i < itemCount else { throw IRTError("item index \(i) is outside 0..<\(itemCount)") }
            itemResponses[i] += 1
            if correct[r] { itemCorrect[i] += 1 }
            learnerResponses[l + 1] += 1
            if r > 0 && ordered {
                let previous = learners[r - 1]
                ordered = learners[r] > previous || (learners[r] == previous && items[r] > items[r - 1])
            }
        }
        for l in 0..<learnerCount { learnerResponses[l + 1] += learnerResponses[l] }
        let rowStart = learnerResponses
        let codes =
            ordered
            ? (0..<n).map { items[$0] << 1 | (correct[$0] ? 1 : 0) }
            : try Self.sortedCodes(
                items: items, learners: learners, correct: correct, itemResponses: itemResponses, rowStart: rowStart)
        self.learnerCount = learnerCount
        self.itemCount = itemCount
        self.rowStart = rowStart
        self.codes = codes
        self.itemResponses = itemResponses
        self.itemCorrect = itemCorrect
    }

    /// `item << 1 | correct` per response in learner-major order, items ascending within a learner: a counting sort
    /// by item (stable), then by learner.
    ///
    /// - Throws: `IRTError` when a learner answered the same item twice.
    private static func sortedCodes(
        items: [Int32], learners: [Int32], correct: [Bool], itemResponses: [Int32], rowStart: [Int]
    ) throws(IRTError) -> [Int32] {
        let n = items.count
        var itemStart = [Int](repeating: 0, count: itemResponses.count + 1)
        for i in itemResponses.indices { itemStart[i + 1] = itemStart[i] + Int(itemResponses[i]) }
        var byItem = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            let i = Int(items[r])
            byItem[itemStart[i]] = Int32(r)
            itemStart[i] += 1
        }
        var next = rowStart
        var codes = [Int32](repeating: 0, count: n)
        for r in byItem {
            let r = Int(r)
            let l = Int(learners[r])
            codes[next[l]] = items[r] << 1 | (correct[r] ? 1 : 0)
            next[l] += 1
        }
        for l in 0..<rowStart.count - 1 where rowStart[l + 1] - rowStart[l] > 1 {
            for k in rowStart[l] + 1..<rowStart[l + 1] where codes[k] >> 1 == codes[k - 1] >> 1 {
                throw IRTError("learner \(l) answered item \(codes[k] >> 1) more than once")
            }
        }
        return codes
    }

    /// Total number of responses.
    public var responseCount: Int { codes.count }

    /// Number of responses to item `item`.
    public func responseCount(ofItem item: Int) -> Int { Int(itemResponses[item]) }

    /// Number of correct responses to item `item`.
    public func correctCount(ofItem item: Int) -> Int { Int(itemCorrect[item]) }

    /// Number of responses of learner `learner`.
    public func responseCount(ofLearner learner: Int) -> Int { rowStart[learner + 1] - rowStart[learner] }

    /// Learner `learner`'s responses, items ascending.
    public func responses(ofLearner learner: Int) -> [(item: Int, correct: Bool)] {
        codes[rowStart[learner]..<rowStart[learner + 1]].map { (Int($0 >> 1), $0 & 1 == 1) }
    }

    /// The largest number of responses to any one item.
    var maxItemResponses: Int { Int(itemResponses.max() ?? 0) }
}
