import Testing
import UTCTime

@testable import Pipelines

/// The features stage reads its history in two parts at once and adds the early part's daily counts to the tally of
/// the rest: that must count exactly what one tally of every attempt counts.
@Suite struct FeatureTallyTests {
    typealias Attempt = (user: String, day: Int, second: Int, correct: Bool, topic: String?, timeMs: Int64?)

    private static let history = TimeWindow(endingOn: Day(iso: "2026-11-25")!, days: 7 + 27)

    /// A tally of `attempts` (days counted from the first day of `history`, whose last 7 days are the range) over
    /// the first `days` days of the history: the whole of it, with its range, or an early part without one.
    private func tally(_ attempts: some Sequence<Attempt>, days: Int = history.days) -> FeatureTally {
        var tally =
            days == Self.history.days
            ? FeatureTally(history: Self.history, rangeDays: 7, itemTopics: [("q1", "t1")])
            : FeatureTally(
                history: TimeWindow(endingOn: Self.history.firstDay.advanced(by: days - 1), days: days), rangeDays: 0,
                itemTopics: [])
        for attempt in attempts {
            let at = Timestamp(
                microseconds: Self.history.firstDay.advanced(by: attempt.day).start.microseconds + Int64(
                    attempt.second) * 1_000_000)
            var user = Array(attempt.user.utf8)
            var topic = attempt.topic.map { Array($0.utf8) }
            var item = Array("q1".utf8)
            user.withUnsafeMutableBytes { user in
                item.withUnsafeMutableBytes { item in
                    let late = attempt.day >= 27
                    let add = { (topic: UnsafeRawBufferPointer?) in
                        tally.add(
                            user: UnsafeRawBufferPointer(user), answeredAt: at, correct: attempt.correct,
                            topic: late ? topic : nil, item: late ? UnsafeRawBufferPointer(item) : nil,
                            responseTimeMs: late ? attempt.timeMs : nil, hints: late ? 1 : nil)
                    }
                    if topic == nil {
                        add(nil)
                    } else {
                        topic!.withUnsafeMutableBytes { add(UnsafeRawBufferPointer($0)) }
                    }
                }
            }
        }
        return tally
    }

    /// Every learner's attempts and correct ones per day, and every group's counts, by ids rather than indexes.
    private func summary(_ tally: FeatureTally) -> [String] {
        var lines: [String] = []
        for learner in 0..<tally.learners.count {
            let id = tally.learners.string(learner)
            for day in 0..<Self.history.days {
                let counts = tally.counts(
                    learner: learner, in: TimeWindow(endingOn: Self.history.firstDay.advanced(by: day), days: 1))
                if counts.attempts > 0 { lines.append("\(id) day \(day): \(counts.attempts) \(counts.correct)") }
            }
        }
        for group in tally.groups {
            lines.append(
                "\(tally.learners.string(Int(group.key.learner))) \(tally.topics.string(Int(group.key.topic))) "
                    + "\(group.key.day): \(group.attempts) \(group.correct) \(group.hinted) \(group.timeSumMs)")
        }
        return lines.sorted()
    }

    @Test(arguments: [10, 20, 27]) func anEarlyPartAddedCountsWhatOneTallyCounts(splitDay: Int) {
        var random = FeaturesEquivalenceTests.Generator(state: UInt64(splitDay))
        let attempts: [Attempt] = (0..<3_000).map { _ in
            (
                user: "u\(random.next(120))", day: random.next(34), second: random.next(86_400),
                correct: random.next(2) == 0, topic: random.next(3) == 0 ? nil : "t\(random.next(4))",
                timeMs: random.next(5) == 0 ? nil : Int64(500 + random.next(9_000))
            )
        }
        let whole = tally(attempts)
        // Learners seen only early, only late, or in both parts.
        var late = tally(attempts.lazy.filter { $0.day >= splitDay })
        late.addDailyCounts(of: tally(attempts.lazy.filter { $0.day < splitDay }, days: splitDay))
        let (found, expected) = (summary(late), summary(whole))
        #expect(late.learners.count == whole.learners.count)
        #expect(found.count == expected.count)
        #expect(Set(found).symmetricDifference(expected).sorted() == [])
        #expect(expected.count > 1_000)
    }
}
