import Testing

@testable import Pipelines

/// Interning ids by their bytes: the slot's first 8 bytes and length decide short ids alone, longer ones compare the
/// rest, and growing the table keeps every index.
@Suite struct IDInternerTests {
    private func index(_ id: [UInt8], in interner: inout IDInterner) -> Int32 {
        id.withUnsafeBytes { interner.index(of: $0) }
    }

    private func existing(_ id: [UInt8], in interner: IDInterner) -> Int32? {
        id.withUnsafeBytes { interner.existingIndex(of: $0) }
    }

    /// Ids of every length around the 8-byte prefix, ids that differ only after it or only in length (a trailing
    /// zero byte pads like the prefix's padding), and "é" composed and decomposed.
    private static let ids: [[UInt8]] = [
        [], [0], [0, 0], Array("a".utf8), Array("u020881".utf8), Array("u0208810".utf8), Array("u02088101".utf8),
        Array("u020881\0".utf8), Array("u020881\0\0".utf8), Array("abcdefgh".utf8), Array("abcdefghi".utf8),
        Array("abcdefghj".utf8), Array("abcdefgh-0000-0000-0000-000000000001".utf8),
        Array("abcdefgh-0000-0000-0000-000000000002".utf8), Array("abcdefgh-0000-0000-0000-00000000000".utf8),
        Array("é".utf8), Array("e\u{301}".utf8),
    ]

    @Test func numbersEachDistinctIDOnceInOrderOfFirstSight() {
        var interner = IDInterner()
        for (position, id) in Self.ids.enumerated() {
            #expect(existing(id, in: interner) == nil)
            #expect(index(id, in: &interner) == Int32(position))
        }
        // Again, in reverse and then interleaved with the last one seen: the same indexes, nothing new.
        for (position, id) in Self.ids.enumerated().reversed() {
            #expect(index(id, in: &interner) == Int32(position))
            #expect(index(Self.ids[0], in: &interner) == 0)
            #expect(existing(id, in: interner) == Int32(position))
        }
        #expect(interner.count == Self.ids.count)
        for (position, id) in Self.ids.enumerated() {
            interner.withBytes(of: position) { #expect(Array($0) == id) }
        }
    }

    @Test func growingKeepsEveryIndex() {
        var interner = IDInterner()
        // Far past the first table's 1,024 slots, with ids short and long.
        let ids = (0..<50_000).map { Array(($0 % 3 == 0 ? "learner-with-a-long-id-\($0)" : "u\($0)").utf8) }
        for (position, id) in ids.enumerated() { #expect(index(id, in: &interner) == Int32(position)) }
        for (position, id) in ids.enumerated().reversed() {
            #expect(existing(id, in: interner) == Int32(position))
            #expect(index(id, in: &interner) == Int32(position))
        }
        #expect(existing(Array("u50000".utf8), in: interner) == nil)
        #expect(existing(Array("learner-with-a-long-id-50001".utf8), in: interner) == nil)
        #expect(interner.count == ids.count)
    }

    @Test func ranksAreTheBytesOrder() {
        var interner = IDInterner()
        for id in Self.ids { _ = index(id, in: &interner) }
        let ranks = interner.ranks()
        let sorted = Self.ids.indices.sorted { Self.ids[$0].lexicographicallyPrecedes(Self.ids[$1]) }
        for (rank, position) in sorted.enumerated() { #expect(ranks[position] == Int32(rank)) }
    }
}
