import IRT
import Testing

/// The same input gives the same output, bit for bit, whatever the thread count.
@Suite struct DeterminismTests {
    /// Every number of a result, as bit patterns.
    static func bits(_ r: CalibrationResult) -> [UInt64] {
        var values = [r.logLikelihood, r.aic, r.bic, r.latentMean, r.latentSD, Double(r.iterations)]
        for e in r.items { values += [e.parameters.a, e.parameters.b, e.parameters.c, e.se.a, e.se.b, e.se.c] }
        for a in r.abilities { values += [a.theta, a.se] }
        return values.map(\.bitPattern)
    }

    @Test(arguments: [
        (IRTModel.twoPL, nil as Int?, false), (.twoPL, 12, false), (.threePL, nil, false), (.onePL, 15, true),
    ])
    func sameBitsForEveryThreadCount(model: IRTModel, perLearner: Int?, anchored: Bool) throws {
        let data = try Simulation(model: model, learners: 3_000, items: 30, perLearner: perLearner, seed: 71)
            .generate()
        func run(_ threads: Int) throws -> [UInt64] {
            var options = CalibrationOptions(model: model)
            options.threads = threads
            if anchored { options.anchors = [3: data.items[3], 4: data.items[4]] }
            return Self.bits(try Calibrator.calibrate(data.responses, options: options))
        }
        let one = try run(1)
        #expect(try run(2) == one)
        #expect(try run(3) == one)
        #expect(try run(1) == one)
    }

    @Test func simulationIsSeeded() throws {
        let first = try Simulation(model: .threePL, learners: 200, items: 20, perLearner: 7, seed: 72).generate()
        let second = try Simulation(model: .threePL, learners: 200, items: 20, perLearner: 7, seed: 72).generate()
        let other = try Simulation(model: .threePL, learners: 200, items: 20, perLearner: 7, seed: 73).generate()
        #expect(first.items == second.items && first.thetas == second.thetas)
        #expect(first.items != other.items)
        for l in 0..<200 {
            let responses = first.responses.responses(ofLearner: l)
            #expect(responses.map(\.item) == second.responses.responses(ofLearner: l).map(\.item))
            #expect(responses.map(\.correct) == second.responses.responses(ofLearner: l).map(\.correct))
            #expect(responses.count == 7 && Set(responses.map(\.item)).count == 7)
        }
    }
}
