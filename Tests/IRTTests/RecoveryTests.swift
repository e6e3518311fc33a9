import IRT
import Testing

/// Parameter recovery on simulated data with fixed seeds. Thresholds sit well above the RMSE these sample sizes
/// allow (about twice the root mean square standard error), and far below what a broken estimator produces.
@Suite struct RecoveryTests {
    @Test func twoPLComplete() throws {
        let (truth, result) = try simulateAndCalibrate(.twoPL, learners: 3_000, items: 30, seed: 11)
        #expect(result.converged)
        #expect(rmse(result.items.map(\.parameters.a), truth.items.map(\.a)) < 0.12)
        #expect(rmse(result.items.map(\.parameters.b), truth.items.map(\.b)) < 0.12)
        #expect(rmse(result.abilities.map(\.theta), truth.thetas) < 0.45)
        #expect(result.items.allSatisfy { $0.parameters.c == 0 && $0.se.c == 0 && !$0.isAnchor })
        #expect(result.latentMean == 0 && result.latentSD == 1)
        #expect(result.parameterCount == 60)
    }

    @Test func twoPLSparse() throws {
        let (truth, result) = try simulateAndCalibrate(
            .twoPL, learners: 20_000, items: 200, perLearner: 25, seed: 12)
        #expect(result.converged)
        #expect(rmse(result.items.map(\.parameters.a), truth.items.map(\.a)) < 0.12)
        #expect(rmse(result.items.map(\.parameters.b), truth.items.map(\.b)) < 0.12)
        #expect(rmse(result.abilities.map(\.theta), truth.thetas) < 0.5)
    }

    @Test func threePLComplete() throws {
        let (truth, result) = try simulateAndCalibrate(.threePL, learners: 5_000, items: 40, seed: 13)
        #expect(result.converged)
        #expect(rmse(result.items.map(\.parameters.a), truth.items.map(\.a)) < 0.2)
        #expect(rmse(result.items.map(\.parameters.b), truth.items.map(\.b)) < 0.3)
        #expect(rmse(result.items.map(\.parameters.c), truth.items.map(\.c)) < 0.08)
        #expect(result.parameterCount == 120)
    }

    @Test func threePLSparse() throws {
        let (truth, result) = try simulateAndCalibrate(
            .threePL, learners: 30_000, items: 100, perLearner: 30, seed: 14)
        #expect(result.converged)
        #expect(rmse(result.items.map(\.parameters.a), truth.items.map(\.a)) < 0.2)
        #expect(rmse(result.items.map(\.parameters.b), truth.items.map(\.b)) < 0.3)
        #expect(rmse(result.items.map(\.parameters.c), truth.items.map(\.c)) < 0.08)
    }

    @Test func onePLSharesOneDiscrimination() throws {
        let (truth, result) = try simulateAndCalibrate(.onePL, learners: 3_000, items: 30, seed: 15)
        #expect(result.converged)
        let a = result.items[0].parameters.a
        #expect(result.items.allSatisfy { $0.parameters.a == a && $0.se.a == result.items[0].se.a })
        #expect(abs(a - truth.items[0].a) < 0.05)
        #expect(rmse(result.items.map(\.parameters.b), truth.items.map(\.b)) < 0.12)
        #expect(result.parameterCount == 31)
    }

    /// Standard errors track the actual estimation error: their root mean square is within a factor 1.5 of the
    /// RMSE against the truth.
    @Test func standardErrorsMatchTheErrors() throws {
        let (truth, result) = try simulateAndCalibrate(.twoPL, learners: 4_000, items: 60, seed: 16)
        let seA = (result.items.reduce(0) { $0 + $1.se.a * $1.se.a } / 60).squareRoot()
        let seB = (result.items.reduce(0) { $0 + $1.se.b * $1.se.b } / 60).squareRoot()
        let errorA = rmse(result.items.map(\.parameters.a), truth.items.map(\.a))
        let errorB = rmse(result.items.map(\.parameters.b), truth.items.map(\.b))
        #expect(seA / errorA > 1 / 1.5 && seA / errorA < 1.5)
        #expect(seB / errorB > 1 / 1.5 && seB / errorB < 1.5)
    }
}
