import IRT
import Testing

@Suite struct ResponseMatrixTests {
    @Test func storesResponsesByLearnerWithItemsAscending() throws {
        let m = try matrix(learners: 3, items: 4, [(1, 3, true), (0, 2, false), (1, 0, false), (0, 1, true)])
        #expect(m.learnerCount == 3)
        #expect(m.itemCount == 4)
        #expect(m.responseCount == 4)
        #expect(m.responses(ofLearner: 1).map(\.item) == [0, 3])
        #expect(m.responses(ofLearner: 1).map(\.correct) == [false, true])
        #expect(m.responseCount(ofLearner: 2) == 0)
        #expect(m.responseCount(ofItem: 2) == 1)
        #expect(m.correctCount(ofItem: 1) == 1)
    }

    @Test func rejectsDuplicatePairs() {
        #expect(throws: IRTError.self) {
            try matrix(learners: 2, items: 2, [(0, 1, true), (1, 1, true), (0, 1, false)])
        }
    }

    @Test func rejectsIndicesOutOfRange() {
        #expect(throws: IRTError.self) { try matrix(learners: 2, items: 2, [(2, 0, true)]) }
        #expect(throws: IRTError.self) { try matrix(learners: 2, items: 2, [(0, -1, true)]) }
    }

    @Test func rejectsArraysOfDifferentLengths() {
        #expect(throws: IRTError.self) {
            try ResponseMatrix(learnerCount: 1, itemCount: 1, learners: [0], items: [0, 0], correct: [true])
        }
    }
}
