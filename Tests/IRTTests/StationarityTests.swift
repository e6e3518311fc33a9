import Glibc
import IRT
import Testing

/// At convergence the estimates are a stationary point of the penalised marginal likelihood, computed here
/// independently of the engine: a check of the whole EM map (E-step counts, including the complement path taken
/// for learners who answered most items, item M-steps and the latent mean and SD of an anchored calibration) on
/// data mixing complete and sparse learners.
@Suite struct StationarityTests {
    @Test(arguments: IRTModel.allCases)
    func estimatesZeroTheGradient(model: IRTModel) throws {
        let base = try Simulation(model: model, learners: 240, items: 8, seed: 101).generate()
        var random = SeededGenerator(seed: 102)
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<240 {
            for (item, correct) in base.responses.responses(ofLearner: l) where l < 120 || random.uniform() < 0.4 {
                triples.append((l, item, correct))
            }
        }
        let data = try matrix(learners: 240, items: 8, triples)
        var options = CalibrationOptions(model: model)
        options.tolerance = 1e-8
        options.anchors = [0: base.items[0]]
        let result = try Calibrator.calibrate(data, options: options)
        #expect(result.converged)
        func objective(_ items: [ItemParameters], mean: Double? = nil, sd: Double? = nil) -> Double {
            let grid = ReferenceGrid(mean: mean ?? result.latentMean, sd: sd ?? result.latentSD)
            var total = 0.0
            for l in 0..<240 {
                total += grid.logMarginal(data.responses(ofLearner: l).map { (items[$0.item], $0.correct) })
            }
            let free = items.dropFirst()
            for item in free {
                if model != .onePL { total -= log(item.a) * log(item.a) / 2 }
                total -= item.b * item.b / 32
                if model == .threePL { total += 4 * log(item.c) + 16 * log(1 - item.c) }
            }
            if model == .onePL { total -= log(items[1].a) * log(items[1].a) / 2 }
            return total
        }
        let items = result.items.map(\.parameters)
        let h = 1e-5
        func derivative(_ change: (inout [ItemParameters], Double) -> Void) -> Double {
            var up = items
            var down = items
            change(&up, h)
            change(&down, -h)
            return (objective(up) - objective(down)) / (2 * h)
        }
        for j in 1..<8 {
            #expect(abs(derivative { $0[j].b += $1 }) < 1e-4)
            if model == .twoPL || model == .threePL { #expect(abs(derivative { $0[j].a += $1 }) < 1e-4) }
            if model == .threePL { #expect(abs(derivative { $0[j].c += $1 }) < 1e-4) }
        }
        if model == .onePL {
            #expect(abs(derivative { items, d in for j in 1..<8 { items[j].a += d } }) < 1e-4)
        }
        let (mean, sd) = (result.latentMean, result.latentSD)
        #expect(abs((objective(items, mean: mean + h) - objective(items, mean: mean - h)) / (2 * h)) < 1e-4)
        #expect(abs((objective(items, sd: sd + h) - objective(items, sd: sd - h)) / (2 * h)) < 1e-4)
    }
}
