/// Every answer in a calibration's window as read from `attempts` (ids interned by their bytes, in scan order), and
/// the choice among them of the responses the calibration fits.
///
/// The choice is made here rather than in SQL: PostgreSQL sorted all of the window's answers by learner and item
/// to find first answers, and again by time to cap them, spilling to disk at this size; grouping by learner in
/// memory is linear, and only the capped sort remains.
struct WindowAnswers {
    var learnerIDs = IDInterner()
    var itemIDs = IDInterner()
    var learners: [Int32] = []
    var items: [Int32] = []
    var correct: [Bool] = []
    /// `answered_at` in microseconds from any fixed epoch.
    var answeredAt: [Int64] = []

    mutating func append(
        learner: UnsafeRawBufferPointer, item: UnsafeRawBufferPointer, correct: Bool, answeredAt: Int64
    ) {
        learners.append(learnerIDs.index(of: learner))
        items.append(itemIDs.index(of: item))
        self.correct.append(correct)
        self.answeredAt.append(answeredAt)
    }

    /// Appends the answers of `other` (read from another part of the window), its ids re-interned into these. The
    /// choice `select` makes does not depend on the order answers were read in, so parts merged in any order give
    /// the same responses as one read of the whole window.
    mutating func append(contentsOf other: consuming WindowAnswers) {
        let learnerMap = (0..<other.learnerIDs.count).map { index in
            other.learnerIDs.withBytes(of: index) { learnerIDs.index(of: $0) }
        }
        let itemMap = (0..<other.itemIDs.count).map { index in
            other.itemIDs.withBytes(of: index) { itemIDs.index(of: $0) }
        }
        // One array at a time, each of `other`'s let go once copied: the merge holds at most one array twice.
        let total = learners.count + other.learners.count
        learners.reserveCapacity(total)
        for learner in other.learners { learners.append(learnerMap[Int(learner)]) }
        other.learners = []
        items.reserveCapacity(total)
        for item in other.items { items.append(itemMap[Int(item)]) }
        other.items = []
        correct.reserveCapacity(total)
        correct.append(contentsOf: other.correct)
        other.correct = []
        answeredAt.reserveCapacity(total)
        answeredAt.append(contentsOf: other.answeredAt)
    }

    /// The first answer of each learner to each item (the earliest; the primary key keeps a learner's answers to
    /// one item at distinct instants), the most recent `maxObservations` of those when set, then only items with at
    /// least `minimumResponses` of them.
    ///
    /// Ties are broken by id in byte order (the "C" collation of the id columns), so the choice and the order do not
    /// depend on how the rows were read: a cap falling among answers of one instant keeps the smallest learner ids,
    /// then item ids. Responses come item by item in item-id order, within an item most recent first, then by
    /// learner id; items are numbered in item-id order and learners in order of first appearance.
    /// The answers' times are let go once copied for the sort (they are the largest array); the rest stays.
    mutating func select(maxObservations: Int?, minimumResponses: Int) -> CalibrationResponses {
        let first = firstAnswers()
        let learnerRank = learnerIDs.ranks()
        let itemRank = itemIDs.ranks()
        var chosen = first.map { MostRecentFirst.Answer(answeredAt: answeredAt[Int($0)], row: $0) }
        answeredAt = []
        // Answers of one instant: rare, so the ranks are looked up only for them.
        MostRecentFirst.keep(&chosen, count: maxObservations ?? chosen.count) { a, b in
            let (learnerA, learnerB) = (learnerRank[Int(learners[Int(a.row)])], learnerRank[Int(learners[Int(b.row)])])
            if learnerA != learnerB { return learnerA < learnerB }
            return itemRank[Int(items[Int(a.row)])] < itemRank[Int(items[Int(b.row)])]
        }
        // Items by rank: how many chosen responses each has, and where its responses start in the output.
        var counts = [Int](repeating: 0, count: itemIDs.count)
        for choice in chosen { counts[Int(itemRank[Int(items[Int(choice.row)])])] += 1 }
        var itemByRank = [Int](repeating: 0, count: itemIDs.count)
        for (index, rank) in itemRank.enumerated() { itemByRank[Int(rank)] = index }
        var result = CalibrationResponses()
        var newItem = [Int32](repeating: -1, count: itemIDs.count)
        var offset = [Int](repeating: 0, count: itemIDs.count + 1)
        for rank in 0..<itemIDs.count {
            offset[rank + 1] = offset[rank]
            guard counts[rank] >= minimumResponses, counts[rank] > 0 else { continue }
            newItem[rank] = Int32(result.itemIDs.count)
            result.itemIDs.append(itemIDs.string(itemByRank[rank]))
            offset[rank + 1] += counts[rank]
        }
        // A stable bucket pass by item keeps each item's responses in the sorted order.
        var ordered = [Int32](repeating: 0, count: offset[itemIDs.count])
        for choice in chosen {
            let rank = Int(itemRank[Int(items[Int(choice.row)])])
            guard newItem[rank] >= 0 else { continue }
            ordered[offset[rank]] = choice.row
            offset[rank] += 1
        }
        var newLearner = [Int32](repeating: -1, count: learnerIDs.count)
        result.learners.reserveCapacity(ordered.count)
        result.items.reserveCapacity(ordered.count)
        result.correct.reserveCapacity(ordered.count)
        for row in ordered {
            let row = Int(row)
            let learner = Int(learners[row])
            if newLearner[learner] < 0 {
                newLearner[learner] = Int32(result.learnerIDs.count)
                result.learnerIDs.append(learnerIDs.string(learner))
            }
            result.learners.append(newLearner[learner])
            result.items.append(newItem[Int(itemRank[Int(items[row])])])
            result.correct.append(correct[row])
        }
        return result
    }

    /// The row of each learner's earliest answer to each item: a bucket pass by learner, with one stamp per item,
    /// in O(rows + learners + items).
    private func firstAnswers() -> [Int32] {
        let learnerCount = learnerIDs.count
        var start = [Int](repeating: 0, count: learnerCount + 1)
        for learner in learners { start[Int(learner) + 1] += 1 }
        for learner in 0..<learnerCount { start[learner + 1] += start[learner] }
        var byLearner = [Int32](repeating: 0, count: learners.count)
        var next = start
        for (row, learner) in learners.enumerated() {
            byLearner[next[Int(learner)]] = Int32(row)
            next[Int(learner)] += 1
        }
        var stamp = [Int32](repeating: -1, count: itemIDs.count)
        var slot = [Int](repeating: 0, count: itemIDs.count)
        var first: [Int32] = []
        for learner in 0..<learnerCount {
            for row in byLearner[start[learner]..<start[learner + 1]] {
                let item = Int(items[Int(row)])
                if stamp[item] != Int32(learner) {
                    stamp[item] = Int32(learner)
                    slot[item] = first.count
                    first.append(row)
                } else if answeredAt[Int(row)] < answeredAt[Int(first[slot[item]])] {
                    first[slot[item]] = row
                }
            }
        }
        return first
    }
}
