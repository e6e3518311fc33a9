import Glibc
import IRT
import Testing

@Suite struct ScoringTests {
    /// 40 items and a response pattern, from a fixed seed.
    static func pattern(seed: UInt64, model: IRTModel = .threePL) throws -> [(ItemParameters, Bool)] {
        let data = try Simulation(model: model, learners: 1, items: 40, seed: seed).generate()
        return data.responses.responses(ofLearner: 0).map { (data.items[$0.item], $0.correct) }
    }

    @Test(arguments: [0.0, 0.7], [1.0, 1.3])
    func eapEqualsTheSumOverTheGrid(mean: Double, sd: Double) throws {
        let responses = try Self.pattern(seed: 51)
        let estimate = AbilityScorer(priorMean: mean, priorSD: sd).eap(responses)
        let grid = ReferenceGrid(mean: mean, sd: sd)
        let likelihood = grid.nodes.indices.map { q in
            grid.weights[q]
                * responses.reduce(1.0) { product, r in
                    let p = r.0.probability(at: grid.nodes[q])
                    return product * (r.1 ? p : 1 - p)
                }
        }
        let total = likelihood.reduce(0, +)
        let mean = zip(likelihood, grid.nodes).reduce(0) { $0 + $1.0 * $1.1 } / total
        let variance = zip(likelihood, grid.nodes).reduce(0) { $0 + $1.0 * ($1.1 - mean) * ($1.1 - mean) } / total
        #expect(abs(estimate.theta - mean) < 1e-12)
        #expect(abs(estimate.se - variance.squareRoot()) < 1e-12)
    }

    /// The 61-node grid integrates the posterior as well as a brute-force integral over 24,001 points does.
    @Test func eapEqualsABruteForceIntegral() throws {
        let responses = try Self.pattern(seed: 52, model: .twoPL)
        let estimate = AbilityScorer().eap(responses)
        var moments = SIMD3<Double>.zero
        for i in 0...24_000 {
            let theta = -8 + 16 * Double(i) / 24_000
            var density = exp(-0.5 * theta * theta)
            for (item, correct) in responses {
                let p = item.probability(at: theta)
                density *= correct ? p : 1 - p
            }
            moments += density * SIMD3(1, theta, theta * theta)
        }
        let mean = moments.y / moments.x
        let sd = (moments.z / moments.x - mean * mean).squareRoot()
        #expect(abs(estimate.theta - mean) < 1e-4)
        #expect(abs(estimate.se - sd) < 1e-4)
    }

    /// On a request path the scorer must give what the calibration gave, bit for bit, with the calibration's
    /// latent distribution as prior.
    @Test(arguments: [false, true])
    func eapMatchesTheCalibration(anchored: Bool) throws {
        let (data, result) = try simulateAndCalibrate(.twoPL, learners: 1_500, items: 30, perLearner: 20, seed: 53) {
            if anchored { $0.anchors = [0: ItemParameters(a: 1.2, b: 0.8), 1: ItemParameters(a: 0.9, b: -0.5)] }
        }
        let scorer = AbilityScorer(priorMean: result.latentMean, priorSD: result.latentSD)
        for learner in [0, 17, 999, 1_499] {
            let responses = data.responses.responses(ofLearner: learner).map {
                (result.items[$0.item].parameters, $0.correct)
            }
            #expect(scorer.eap(responses) == result.abilities[learner])
        }
    }

    @Test func mapMaximisesThePosterior() throws {
        let responses = try Self.pattern(seed: 54, model: .twoPL)
        let estimate = AbilityScorer(priorMean: 0.2, priorSD: 1.1).map(responses)
        func logPosterior(_ theta: Double) -> Double {
            responses.reduce(-0.5 * (theta - 0.2) * (theta - 0.2) / 1.21) { sum, r in
                let p = r.0.probability(at: theta)
                return sum + log(r.1 ? p : 1 - p)
            }
        }
        let h = 1e-4
        let derivative = (logPosterior(estimate.theta + h) - logPosterior(estimate.theta - h)) / (2 * h)
        #expect(abs(derivative) < 1e-6)
        let information = responses.reduce(1 / 1.21) { sum, r in
            let p = r.0.probability(at: estimate.theta)
            return sum + r.0.a * r.0.a * p * (1 - p)
        }
        #expect(abs(estimate.se - 1 / information.squareRoot()) < 1e-12)
    }

    @Test func degeneratePatternsStayFinite() throws {
        let items = try Self.pattern(seed: 55).map(\.0)
        let scorer = AbilityScorer()
        for pattern in [items.map { ($0, true) }, items.map { ($0, false) }, [(items[0], true)], []] {
            for estimate in [scorer.eap(pattern), scorer.map(pattern)] {
                #expect(estimate.theta.isFinite && estimate.se.isFinite && estimate.se > 0)
            }
        }
        #expect(scorer.eap(items.map { ($0, true) }).theta > 1)
        #expect(abs(scorer.eap([]).theta) < 1e-12)
        #expect(abs(scorer.eap([]).se - 1) < 1e-3)
        let extreme = [(ItemParameters(a: 1_000, b: 50), true), (ItemParameters(a: 1_000, b: -50), false)]
        let estimate = scorer.eap(extreme)
        #expect(estimate.theta.isFinite && estimate.se.isFinite)
    }

    @Test func unusableItemsAreSkipped() throws {
        let responses = try Self.pattern(seed: 56)
        let noisy =
            responses + [
                (ItemParameters(a: .nan, b: 0), true), (ItemParameters(a: -1, b: 0), false),
                (ItemParameters(a: 1, b: .infinity), true), (ItemParameters(a: 1, b: 0, c: 1), false),
            ]
        #expect(AbilityScorer().eap(noisy) == AbilityScorer().eap(responses))
        #expect(AbilityScorer().map(noisy) == AbilityScorer().map(responses))
    }
}

@Suite struct MAPScoringTests {
    @Test func calibrationCanScoreByMAP() throws {
        let (data, result) = try simulateAndCalibrate(.threePL, learners: 1_200, items: 25, perLearner: 15, seed: 57) {
            $0.scoring = .map
        }
        #expect(allFinite(result))
        let scorer = AbilityScorer(priorMean: result.latentMean, priorSD: result.latentSD)
        for learner in [0, 600, 1_199] {
            let responses = data.responses.responses(ofLearner: learner).map {
                (result.items[$0.item].parameters, $0.correct)
            }
            #expect(scorer.map(responses) == result.abilities[learner])
        }
    }
}
