import Testing
import UTCTime

@testable import Storage

/// The order a batch is written in: every record once, grouped by item in byte order (from a starting point,
/// wrapping round), by time within an item.
@Suite struct InsertionOrderTests {
    @Test func groupsByItemInByteOrderThenTimeFromTheStart() {
        let start = Timestamp(rfc3339: "2026-11-20T08:00:00Z")!
        let items = ["z", "é", "a10", "a9", "A"]
        var records: [AttemptRecord] = []
        for index in 0..<500 {
            records.append(
                AttemptRecord(
                    userID: "u\(index % 17)", itemID: items[(index * 7) % items.count], correct: true,
                    answeredAt: start.adding(microseconds: Int64((index * 7919) % 1000) * 1_000_000)))
        }
        // "C" collation order: "A" < "a10" < "a9" < "z" < "é" (0xC3 sorts after every ASCII byte).
        #expect(itemRuns(records, start: 0) == ["A", "a10", "a9", "z", "é"])
        // Started part-way along, the walk wraps round to the first items.
        #expect(itemRuns(records, start: 0.5) == ["a9", "z", "é", "A", "a10"])
        #expect(itemRuns(records, start: 0.999) == ["é", "A", "a10", "a9", "z"])
    }

    /// Checks the order is a permutation with times ascending within each item, and returns the items in order.
    func itemRuns(_ records: [AttemptRecord], start: Double) -> [String] {
        let order = AttemptStore.insertionOrder(records, start: start)
        #expect(order.sorted() == Array(records.indices))
        let written = order.map { records[$0] }
        for (earlier, later) in zip(written, written.dropFirst()) where earlier.itemID == later.itemID {
            #expect(earlier.answeredAt <= later.answeredAt)
        }
        return written.map(\.itemID).reduce(into: [String]()) { runs, item in
            if runs.last != item { runs.append(item) }
        }
    }
}
