import IRT
import Testing

/// Guard rails: data that has no finite maximum likelihood still gives finite, documented output.
@Suite struct DegenerateDataTests {
    /// 400 simulated learners on 10 items, plus an item everyone got right and one everyone got wrong, a learner
    /// who got everything right and one who got everything wrong.
    static func data(_ model: IRTModel) throws -> (ResponseMatrix, Int, Int) {
        let base = try Simulation(model: model, learners: 400, items: 10, seed: 61).generate()
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<400 {
            for (item, correct) in base.responses.responses(ofLearner: l) { triples.append((l, item, correct)) }
            triples.append((l, 10, true))
            triples.append((l, 11, false))
        }
        for j in 0..<12 {
            triples.append((400, j, true))
            triples.append((401, j, false))
        }
        return (try matrix(learners: 402, items: 12, triples), 400, 401)
    }

    @Test(arguments: IRTModel.allCases)
    func allCorrectAndAllWrongItemsAndLearners(model: IRTModel) throws {
        let (responses, best, worst) = try Self.data(model)
        let result = try Calibrator.calibrate(responses, options: CalibrationOptions(model: model))
        #expect(allFinite(result))
        #expect(result.items[10].parameters.b < -2)
        #expect(result.items[11].parameters.b > 2)
        #expect(result.items[10].parameters.b >= -10 && result.items[11].parameters.b <= 10)
        #expect(result.abilities[best].theta > 1.5)
        #expect(result.abilities[worst].theta < -1.5)
    }

    @Test(arguments: IRTModel.allCases)
    func singleResponse(model: IRTModel) throws {
        for correct in [true, false] {
            let result = try Calibrator.calibrate(
                try matrix(learners: 1, items: 1, [(0, 0, correct)]), options: CalibrationOptions(model: model))
            #expect(allFinite(result))
            #expect(result.converged)
        }
    }

    /// Perfectly separable (Guttman) data: each item is answered correctly exactly by the learners above its
    /// threshold, which drives the maximum-likelihood discrimination to infinity.
    @Test(arguments: IRTModel.allCases)
    func separableData(model: IRTModel) throws {
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<300 {
            for j in 0..<8 { triples.append((l, j, l >= 30 * (j + 1))) }
        }
        let result = try Calibrator.calibrate(
            try matrix(learners: 300, items: 8, triples), options: CalibrationOptions(model: model))
        #expect(allFinite(result))
        #expect(result.items.allSatisfy { $0.parameters.a <= 8 && $0.parameters.a >= 0.05 })
        #expect(result.items[7].parameters.b > result.items[0].parameters.b)
    }

    @Test func learnersAndItemsWithoutResponses() throws {
        let base = try Simulation(model: .twoPL, learners: 300, items: 8, seed: 62).generate()
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<300 {
            for (item, correct) in base.responses.responses(ofLearner: l) { triples.append((l, item, correct)) }
        }
        let result = try Calibrator.calibrate(
            try matrix(learners: 302, items: 9, triples), options: CalibrationOptions())
        #expect(allFinite(result))
        #expect(result.items[8].responseCount == 0)
        #expect(abs(result.abilities[301].theta) < 1e-9)
        #expect(abs(result.abilities[301].se - 1) < 1e-3)
    }

    @Test func rejectsEmptyDataAndBadOptions() throws {
        #expect(throws: IRTError.self) {
            try Calibrator.calibrate(try matrix(learners: 3, items: 3, []), options: CalibrationOptions())
        }
        let data = try matrix(learners: 2, items: 2, [(0, 0, true), (1, 1, false)])
        var options = CalibrationOptions()
        options.quadraturePoints = 3
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data, options: options) }
        options = CalibrationOptions()
        options.tolerance = 0
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data, options: options) }
        options = CalibrationOptions()
        options.threads = 0
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data, options: options) }
        options = CalibrationOptions()
        options.priors.logSlopeSD = .infinity
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data, options: options) }
        options = CalibrationOptions()
        options.priors.guessingAlpha = 0.5
        #expect(throws: IRTError.self) { try Calibrator.calibrate(data, options: options) }
    }

    @Test func reportsTheIterationCapWithoutConverging() throws {
        let data = try Simulation(model: .threePL, learners: 500, items: 10, seed: 63).generate()
        var options = CalibrationOptions(model: .threePL)
        options.maxIterations = 2
        let result = try Calibrator.calibrate(data.responses, options: options)
        #expect(!result.converged)
        #expect(result.iterations == 2)
        #expect(allFinite(result))
    }
}
