import IRT
import Testing

@Suite struct CSVTests {
    @Test func parsesResponses() throws {
        let text = "\u{FEFF}user_id,item_id,correct\r\nu1,i1,1\r\nu2,i1,0\n\nu1,\"i,2\",true\nu2,i1,1\n"
        let parsed = try ResponsesCSV.parse(text)
        #expect(parsed.learnerIDs == ["u1", "u2"])
        #expect(parsed.itemIDs == ["i1", "i,2"])
        #expect(parsed.duplicatesDropped == 1)
        #expect(parsed.matrix.responseCount == 3)
        #expect(parsed.matrix.responses(ofLearner: 0).map(\.item) == [0, 1])
        #expect(parsed.matrix.responses(ofLearner: 1).map(\.correct) == [false])
    }

    @Test func findsColumnsByName() throws {
        let parsed = try ResponsesCSV.parse("correct,topic,item_id,user_id\n1,t,i9,u3\n")
        #expect(parsed.learnerIDs == ["u3"] && parsed.itemIDs == ["i9"])
        #expect(parsed.matrix.correctCount(ofItem: 0) == 1)
    }

    @Test(arguments: [
        ("", "empty input"),
        ("user,item,correct\nu,i,1\n", "header"),
        ("user_id,item_id,correct\n", "no response rows"),
        ("user_id,item_id,correct\nu1,i1,yes\n", "line 2"),
        ("user_id,item_id,correct\nu1,i1,1\nu2,,0\n", "line 3"),
        ("user_id,item_id,correct\nu1,i1\n", "line 2"),
        ("user_id,item_id,correct\nu1,\"i1,1\n", "unterminated"),
    ])
    func rejectsBadResponses(text: String, reason: String) {
        #expect {
            try ResponsesCSV.parse(text)
        } throws: { error in
            (error as? IRTError).map { $0.message.contains(reason) && !$0.message.contains("\n") } ?? false
        }
    }

    @Test func roundTripsResponses() throws {
        let data = try Simulation(model: .twoPL, learners: 30, items: 8, perLearner: 5, seed: 91).generate()
        let labeled = LabeledResponses(
            learnerIDs: (0..<30).map { "learner \($0)" }, itemIDs: (0..<8).map { "item \"\($0)\"" },
            matrix: data.responses)
        let parsed = try ResponsesCSV.parse(ResponsesCSV.format(labeled))
        #expect(parsed.matrix.responseCount == 150)
        for l in 0..<30 {
            let original = data.responses.responses(ofLearner: l).map { (labeled.itemIDs[$0.item], $0.correct) }
            let back = parsed.matrix.responses(ofLearner: l).map { (parsed.itemIDs[$0.item], $0.correct) }
            #expect(parsed.learnerIDs[l] == labeled.learnerIDs[l])
            #expect(Set(original.map { "\($0.0)|\($0.1)" }) == Set(back.map { "\($0.0)|\($0.1)" }))
        }
    }

    @Test func writesItemsAndReadsThemBackAsAnchors() throws {
        let estimates = [
            ItemEstimate(
                parameters: ItemParameters(a: 1.25, b: -0.5, c: 0.125), se: ItemParameters(a: 0.1, b: 0.2, c: 0.03),
                isAnchor: false, responseCount: 10),
            ItemEstimate(
                parameters: ItemParameters(a: 0.75, b: 2), se: ItemParameters(a: 0, b: 0, c: 0), isAnchor: true,
                responseCount: 3),
        ]
        let text = ItemsCSV.format(itemIDs: ["q1", "q,2"], estimates: estimates)
        #expect(text.hasPrefix("item_id,a,b,c,se_a,se_b,se_c\nq1,1.25,-0.5,0.125,0.1,0.2,0.03\n\"q,2\","))
        let anchors = try ItemsCSV.parseParameters(text)
        #expect(anchors.map(\.id) == ["q1", "q,2"])
        #expect(anchors.map(\.parameters) == estimates.map(\.parameters))
    }

    @Test(arguments: [
        "item_id,a,b\nq,1,0\n", "item_id,a,b,c\nq,x,0,0\n", "item_id,a,b,c\nq,0,0,0\n", "item_id,a,b,c\nq,1,0,1\n",
        "item_id,a,b,c\nq,1,inf,0\n", "item_id,a,b,c\nq,1,0,0\nq,1,0,0\n",
    ])
    func rejectsBadAnchors(text: String) {
        #expect(throws: IRTError.self) { try ItemsCSV.parseParameters(text) }
    }

    @Test func writesAbilities() {
        let text = AbilitiesCSV.format(
            learnerIDs: ["a", "b"],
            abilities: [AbilityEstimate(theta: 0.5, se: 0.25), AbilityEstimate(theta: -1, se: 1)])
        #expect(text == "user_id,theta,se\na,0.5,0.25\nb,-1.0,1.0\n")
    }
}
