import Testing
import UTCTime

@testable import Storage

/// The order a batch is written in: every record once, grouped by item in byte order, by time within an item.
@Suite struct InsertionOrderTests {
    @Test func groupsByItemInByteOrderThenTime() {
        let start = Timestamp(rfc3339: "2026-11-20T08:00:00Z")!
        let items = ["z", "é", "a10", "a9", "A"]
        var records: [AttemptRecord] = []
        for index in 0..<500 {
            records.append(
                AttemptRecord(
                    userID: "u\(index % 17)", itemID: items[(index * 7) % items.count], correct: true,
                    answeredAt: start.adding(microseconds: Int64((index * 7919) % 1000) * 1_000_000)))
        }
        let order = AttemptStore.insertionOrder(records)
        #expect(order.sorted() == Array(records.indices))
        let written = order.map { records[$0] }
        // "C" collation order: "A" < "a10" < "a9" < "z" < "é" (0xC3 sorts after every ASCII byte).
        let itemRuns = written.map(\.itemID).reduce(into: [String]()) { runs, item in
            if runs.last != item { runs.append(item) }
        }
        #expect(itemRuns == ["A", "a10", "a9", "z", "é"])
        for (earlier, later) in zip(written, written.dropFirst()) where earlier.itemID == later.itemID {
            #expect(earlier.answeredAt <= later.answeredAt)
        }
    }
}
