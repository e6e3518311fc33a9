import Testing

@testable import Pipelines

/// Keeping the most recent answers in order must give exactly what sorting all of them and cutting gives: across
/// the selection's partitions, the radix sort's digits, and runs of answers of one instant.
@Suite struct MostRecentFirstTests {
    typealias Answer = MostRecentFirst.Answer

    /// What `keep` must equal: every answer sorted latest first, equal times by row, then cut.
    private func reference(_ answers: [Answer], count: Int) -> [Int32] {
        let sorted = answers.sorted { a, b in a.answeredAt != b.answeredAt ? a.answeredAt > b.answeredAt : a.row < b.row
        }
        return sorted.prefix(max(0, count)).map(\.row)
    }

    private func kept(_ answers: [Answer], count: Int) -> [Int32] {
        var answers = answers
        MostRecentFirst.keep(&answers, count: count) { $0.row < $1.row }
        return answers.map(\.row)
    }

    /// `size` answers with times drawn from `distinctTimes` values spread over `span` microseconds (few distinct
    /// times: long runs of one instant), in random order.
    private func answers(size: Int, distinctTimes: Int, span: Int64, seed: UInt64) -> [Answer] {
        var random = FeaturesEquivalenceTests.Generator(state: seed)
        // The generator gives 31 bits: wide spans are steps of `scale`.
        let scale = max(1, span >> 30)
        let times = (0..<distinctTimes).map { _ in Int64(random.next(Int(min(span, 1 << 30)))) * scale - span / 2 }
        return (0..<size).map { Answer(answeredAt: times[random.next(distinctTimes)], row: Int32($0)) }
    }

    @Test(arguments: [
        (size: 5_000, distinctTimes: 5_000, span: Int64(1) << 42),
        (size: 5_000, distinctTimes: 40, span: Int64(1) << 42),
        (size: 5_000, distinctTimes: 1, span: 1),
        (size: 3, distinctTimes: 2, span: 10),
        (size: 20_000, distinctTimes: 9_000, span: Int64(1) << 62),
    ])
    func keepsWhatSortingAllAndCuttingKeeps(size: Int, distinctTimes: Int, span: Int64) {
        let answers = answers(size: size, distinctTimes: distinctTimes, span: span, seed: UInt64(size + distinctTimes))
        for count in [0, 1, 2, size / 3, size / 2, size - 1, size, size + 5, -1] {
            #expect(kept(answers, count: count) == reference(answers, count: count), "count \(count)")
        }
    }

    @Test func extremeTimesSortWithoutOverflow() {
        let answers = [Int64.min, Int64.max, 0, -1, 1, Int64.max, Int64.min + 1].enumerated().map {
            Answer(answeredAt: $0.element, row: Int32($0.offset))
        }
        for count in 0...answers.count { #expect(kept(answers, count: count) == reference(answers, count: count)) }
    }

    @Test func alreadySortedAndReversedInputsStillSelect() {
        let ascending = (0..<10_000).map { Answer(answeredAt: Int64($0), row: Int32($0)) }
        for input in [ascending, ascending.reversed()] {
            #expect(kept(input, count: 2_500) == reference(input, count: 2_500))
        }
    }
}
