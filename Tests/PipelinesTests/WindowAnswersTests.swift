import Testing

@testable import Pipelines

/// The in-memory choice of calibration responses: first answers, the cap on the most recent with ties broken by
/// id, the minimum per item, and an order that does not depend on the order the rows were read in.
@Suite struct WindowAnswersTests {
    typealias Answer = (user: String, item: String, correct: Bool, at: Int64)

    private func select(_ answers: [Answer], max: Int?, minimum: Int) -> CalibrationResponses {
        var window = WindowAnswers()
        for answer in answers {
            var user = Array(answer.user.utf8)
            var item = Array(answer.item.utf8)
            user.withUnsafeMutableBytes { user in
                item.withUnsafeMutableBytes { item in
                    window.append(
                        learner: UnsafeRawBufferPointer(user), item: UnsafeRawBufferPointer(item),
                        correct: answer.correct, answeredAt: answer.at)
                }
            }
        }
        return window.select(maxObservations: max, minimumResponses: minimum)
    }

    private func rows(_ responses: CalibrationResponses) -> [String] {
        responses.items.indices.map {
            "\(responses.learnerIDs[Int(responses.learners[$0])]) \(responses.itemIDs[Int(responses.items[$0])]) "
                + "\(responses.correct[$0])"
        }
    }

    private static let answers: [Answer] = [
        ("u2", "i2", true, 50), ("u2", "i1", false, 40), ("u2", "i1", true, 10),  // u2's first i1 is the later row
        ("u1", "i1", true, 40), ("u1", "i2", false, 30), ("u1", "i2", true, 60),
        ("u3", "i1", false, 40), ("u3", "i3", true, 20), ("u10", "i2", true, 40), ("é", "i1", true, 5),
    ]

    @Test func keepsFirstAnswersItemByItemMostRecentFirst() {
        let all = select(Self.answers, max: nil, minimum: 1)
        #expect(all.itemIDs == ["i1", "i2", "i3"])
        #expect(
            rows(all) == [
                "u1 i1 true", "u3 i1 false", "u2 i1 true", "é i1 true",
                "u2 i2 true", "u10 i2 true", "u1 i2 false",
                "u3 i3 true",
            ])
        #expect(all.learnerIDs == ["u1", "u3", "u2", "é", "u10"])
    }

    @Test func capsTheMostRecentWithTiesByLearnerIDThenMinimumPerItem() {
        // First answers by time: u2 i2 50; then at 40 u1 i1, u10 i2, u3 i1 (byte order: u1 < u10 < u3); u1 i2 30 ...
        let capped = select(Self.answers, max: 3, minimum: 1)
        #expect(rows(capped) == ["u1 i1 true", "u2 i2 true", "u10 i2 true"])
        let minimum = select(Self.answers, max: 4, minimum: 2)
        #expect(minimum.itemIDs == ["i1", "i2"])
        #expect(rows(minimum) == ["u1 i1 true", "u3 i1 false", "u2 i2 true", "u10 i2 true"])
        #expect(select(Self.answers, max: 0, minimum: 1).items.isEmpty)
    }

    @Test func readOrderDoesNotMatter() {
        let forward = select(Self.answers, max: 5, minimum: 1)
        let backward = select(Self.answers.reversed(), max: 5, minimum: 1)
        #expect(rows(forward) == rows(backward))
        #expect(forward.learnerIDs == backward.learnerIDs && forward.itemIDs == backward.itemIDs)
    }
}
