import Testing

@testable import IRT

/// `ResponsesCSV` read in slices on several threads against the same bytes read in one pass: the same ids in the
/// same order, the same matrix, the same repeats dropped, and the same errors.
@Suite struct CSVSlicesTests {
    private func parse(_ text: String, threads: Int) throws -> LabeledResponses {
        try Array(text.utf8).withUnsafeBufferPointer { bytes throws(IRTError) in
            try ResponsesCSV.parse(bytes: bytes, threads: threads, minimumSliceBytes: 8)
        }
    }

    private func summary(_ parsed: LabeledResponses) -> [String] {
        [
            parsed.learnerIDs.joined(separator: ","), parsed.itemIDs.joined(separator: ","),
            "\(parsed.duplicatesDropped)",
        ]
            + (0..<parsed.matrix.learnerCount).map { l in
                parsed.matrix.responses(ofLearner: l).map { "\($0.item)=\($0.correct)" }.joined(separator: " ")
            }
    }

    /// Rows whose learners and items recur across slice boundaries, with repeats, padding, CRLF, blank lines and
    /// spelled answers; ids first met in a later slice.
    private static let mixed: String = {
        var rows = ["item_id,extra,correct,user_id"]
        var state: UInt64 = 7
        for r in 0..<600 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let learner = Int(state >> 33) % (r < 300 ? 20 : 45)
            let item = Int(state >> 20) % 12
            let answer = ["1", "0", " true", "F"][Int(state >> 50) % 4]
            rows.append("i\(item),x,\(answer),\(learner % 7 == 0 ? " " : "")u\(learner)\(r % 5 == 0 ? "\r" : "")")
            if r % 97 == 0 { rows.append("") }
        }
        return rows.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: [2, 3, 8])
    func slicesGiveWhatOnePassGives(threads: Int) throws {
        let sliced = try parse(Self.mixed, threads: threads)
        let single = try parse(Self.mixed, threads: 1)
        #expect(summary(sliced) == summary(single))
        #expect(single.duplicatesDropped > 0)
        #expect(single.learnerIDs.count == 45 && single.itemIDs.count == 12)
    }

    @Test func orderedInputFromSlices() throws {
        var text = "user_id,item_id,correct\n"
        for l in 0..<50 { for j in 0..<6 { text += "u\(l),i\(j),\((l + j) % 2)\n" } }
        let sliced = try parse(text, threads: 4)
        #expect(summary(sliced) == summary(try parse(text, threads: 1)))
        #expect(sliced.learnerIDs.count == 50 && sliced.matrix.responseCount == 300)
    }

    @Test func quotesOrBadRowsReadAsOnePass() throws {
        let quoted =
            "user_id,item_id,correct\n" + String(repeating: "u1,i1,1\nu2,i1,0\n", count: 20) + "\"u\n3\",i2,1\n"
        #expect(summary(try parse(quoted, threads: 4)) == summary(try parse(quoted, threads: 1)))
        let bad = "user_id,item_id,correct\n" + String(repeating: "u1,i1,1\nu2,i1,0\n", count: 20) + "u3,i2,yes\n"
        #expect {
            try parse(bad, threads: 4)
        } throws: { error in
            (error as? IRTError)?.message == "line 42: correct must be 1 or 0, got 'yes'"
        }
    }
}
