import Testing
import UTCTime

@testable import Storage

/// The order a batch is written in: every record once, grouped by item in byte order (from a starting point,
/// wrapping round), by time within an item.
@Suite struct InsertionOrderTests {
    @Test func groupsByItemInByteOrderThenTimeFromTheStart() {
        let start = Timestamp(rfc3339: "2026-11-20T08:00:00Z")!
        // Ids of up to eight bytes are ordered by one integer, longer ones by their bytes after that.
        let items = ["z", "é", "a10", "a9", "A", "item-00000010", "item-00000009", "abcdefgh", "abcdefghi"]
        var records: [AttemptRecord] = []
        for index in 0..<450 {
            records.append(
                AttemptRecord(
                    userID: "u\(index % 17)", itemID: items[(index * 7) % items.count], correct: true,
                    answeredAt: start.adding(microseconds: Int64((index * 7919) % 1000) * 1_000_000)))
        }
        // "C" collation order, 50 records each; "é" (0xC3 first) sorts after every ASCII byte.
        let byteOrder = ["A", "a10", "a9", "abcdefgh", "abcdefghi", "item-00000009", "item-00000010", "z", "é"]
        #expect(itemRuns(records, start: 0) == byteOrder)
        // Started part-way along (record 225 is the fifth item's), the walk wraps round to the first items.
        #expect(itemRuns(records, start: 0.5) == Array(byteOrder[4...] + byteOrder[..<4]))
        #expect(itemRuns(records, start: 0.999) == ["é"] + byteOrder.dropLast())
    }

    /// Checks the order is a permutation with times ascending within each item, and returns the items in order.
    func itemRuns(_ records: [AttemptRecord], start: Double) -> [String] {
        let order = AttemptStore.insertionOrder(try! AttemptBatch(records), start: start).map { Int($0) }
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
