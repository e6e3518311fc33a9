import IRT
import Testing

/// The byte-level path of `ResponsesCSV` (ids interned by their bytes, records scanned without strings) against
/// what the text of each id decides, and `ResponseMatrix`'s already-ordered shortcut against its counting sort.
@Suite struct CSVBytesTests {
    private func parseBytes(_ text: String) throws -> LabeledResponses {
        try Array(text.utf8).withUnsafeBufferPointer { bytes throws(IRTError) in try ResponsesCSV.parse(bytes: bytes) }
    }

    private func rows(_ parsed: LabeledResponses) -> [String] {
        (0..<parsed.matrix.learnerCount).flatMap { l in
            parsed.matrix.responses(ofLearner: l).map {
                "\(parsed.learnerIDs[l])|\(parsed.itemIDs[$0.item])|\($0.correct)"
            }
        }
    }

    @Test func idsAreTheirTextNotTheirBytes() throws {
        // Quoted, padded and escaped spellings of one id, and two byte sequences Swift calls the same text
        // (a precomposed and a decomposed é; the Kelvin sign and K), are one learner each.
        let text = """
            user_id,item_id,correct
            u1,i1,1
            " u1",i2,0
            "a""b",i1,T
            a"b,i2,false
            "a""b",i3,1
            caf\u{E9},i1,0
            cafe\u{301},i2,1
            \u{212A},i1,1
            K,i2,0

            """
        let parsed = try parseBytes(text)
        #expect(parsed.learnerIDs == ["u1", "a\"b", "café", "\u{212A}"])
        #expect(parsed.itemIDs == ["i1", "i2", "i3"])
        #expect(parsed.duplicatesDropped == 0)
        #expect(parsed.matrix.responseCount == 9)
        #expect(parsed.matrix.responses(ofLearner: 1).map(\.correct) == [true, false, true])
        #expect(rows(parsed) == rows(try ResponsesCSV.parse(text)))
    }

    @Test func bareAndSpelledAnswersAndRepeatsAsBefore() throws {
        let text = "\u{FEFF}user_id,item_id,correct\r\nu2,i1, 1 \r\nu2,i1,0\r\nu1,i2,F\r\n\r\nu1,i1,1\r\nu2,i2,0"
        let parsed = try parseBytes(text)
        #expect(parsed.learnerIDs == ["u2", "u1"] && parsed.itemIDs == ["i1", "i2"])
        #expect(parsed.duplicatesDropped == 1)
        #expect(parsed.matrix.responses(ofLearner: 0).map(\.correct) == [true, false])
        #expect(parsed.matrix.responses(ofLearner: 1).map(\.item) == [0, 1])
        #expect(parsed.matrix.responses(ofLearner: 1).map(\.correct) == [true, false])
    }

    @Test(arguments: [
        ("user_id,item_id,correct\nu1,i1,1\n  ,i1,0\n", "line 3: empty user_id or item_id"),
        ("user_id,item_id,correct\nu1,i1,1\nu1,\"\",0\n", "line 3: empty user_id or item_id"),
        ("user_id,item_id,correct\nu1,i1,1\nu2,i1,yes\n", "line 3: correct must be 1 or 0, got 'yes'"),
        ("user_id,item_id,correct\n\"u\n1\",i1,1\nu2,i1\n", "line 4: expected 3 fields, got 2"),
        ("user_id,item_id,correct\nu1,\"i\"x,1\n", "line 2: unexpected text after a quoted field"),
    ])
    func namesTheLineOfBadInput(text: String, message: String) {
        #expect {
            try parseBytes(text)
        } throws: { error in
            (error as? IRTError)?.message == message
        }
    }

    @Test func orderedInputGivesTheSameMatrixAsShuffled() throws {
        // Learner by learner with items ascending (the shortcut), and the same responses in reverse (the sort).
        let learners: [Int32] = [0, 0, 0, 2, 2, 3]
        let items: [Int32] = [0, 2, 3, 1, 3, 0]
        let correct = [true, false, true, true, true, false]
        let ordered = try ResponseMatrix(
            learnerCount: 4, itemCount: 4, learners: learners, items: items, correct: correct)
        let reversed = try ResponseMatrix(
            learnerCount: 4, itemCount: 4, learners: learners.reversed(), items: items.reversed(),
            correct: correct.reversed())
        for matrix in [ordered, reversed] {
            #expect(matrix.responses(ofLearner: 0).map(\.item) == [0, 2, 3])
            #expect(matrix.responses(ofLearner: 0).map(\.correct) == [true, false, true])
            #expect(matrix.responseCount(ofLearner: 1) == 0)
            #expect(matrix.responses(ofLearner: 2).map(\.item) == [1, 3])
            #expect(matrix.responses(ofLearner: 3).map(\.correct) == [false])
            #expect((0..<4).map(matrix.responseCount(ofItem:)) == [2, 1, 1, 2])
            #expect((0..<4).map(matrix.correctCount(ofItem:)) == [1, 1, 0, 2])
        }
        #expect(throws: IRTError.self) {
            try ResponseMatrix(
                learnerCount: 1, itemCount: 2, learners: [0, 0], items: [1, 1], correct: [true, false])
        }
    }
}
