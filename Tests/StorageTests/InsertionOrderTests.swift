import Testing
import UTCTime

@testable import Storage

/// The order a batch is written in: every record once, grouped by learner in byte order (from a starting point,
/// wrapping round), by time within a learner.
@Suite struct InsertionOrderTests {
    @Test func groupsByLearnerInByteOrderThenTimeFromTheStart() {
        let start = Timestamp(rfc3339: "2026-11-20T08:00:00Z")!
        // Ids of up to eight bytes are ordered by one integer, longer ones by their bytes after that.
        let learners = ["z", "é", "a10", "a9", "A", "user-00000010", "user-00000009", "abcdefgh", "abcdefghi"]
        var records: [AttemptRecord] = []
        for index in 0..<450 {
            records.append(
                AttemptRecord(
                    userID: learners[(index * 7) % learners.count], itemID: "q\(index % 17)", correct: true,
                    answeredAt: start.adding(microseconds: Int64((index * 7919) % 1000) * 1_000_000)))
        }
        // "C" collation order, 50 records each; "é" (0xC3 first) sorts after every ASCII byte.
        let byteOrder = ["A", "a10", "a9", "abcdefgh", "abcdefghi", "user-00000009", "user-00000010", "z", "é"]
        #expect(learnerRuns(records, start: 0) == byteOrder)
        // Started part-way along (record 225 is the fifth learner's), the walk wraps round to the first learners.
        #expect(learnerRuns(records, start: 0.5) == Array(byteOrder[4...] + byteOrder[..<4]))
        #expect(learnerRuns(records, start: 0.999) == ["é"] + byteOrder.dropLast())
    }

    /// Checks the order is a permutation with times ascending within each learner, and returns the learners in order.
    func learnerRuns(_ records: [AttemptRecord], start: Double) -> [String] {
        let order = AttemptStore.insertionOrder(try! AttemptBatch(records), start: start).map { Int($0) }
        #expect(order.sorted() == Array(records.indices))
        let written = order.map { records[$0] }
        for (earlier, later) in zip(written, written.dropFirst()) where earlier.userID == later.userID {
            #expect(earlier.answeredAt <= later.answeredAt)
        }
        return written.map(\.userID).reduce(into: [String]()) { runs, learner in
            if runs.last != learner { runs.append(learner) }
        }
    }
}
