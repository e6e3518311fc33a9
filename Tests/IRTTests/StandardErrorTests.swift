import Glibc
import IRT
import Testing

/// The standard errors are the inverse of each item's block of the observed information (Louis' identity, plus
/// the priors' curvature): checked against a numerical Hessian of an independent marginal log-likelihood.
@Suite struct StandardErrorTests {
    let data: Simulation.Output
    let model: IRTModel

    /// The marginal log-likelihood over the documented grid plus the documented default log priors of one item.
    func logPosterior(_ items: [ItemParameters], prior item: ItemParameters?) -> Double {
        let grid = ReferenceGrid()
        var total = 0.0
        for l in 0..<data.responses.learnerCount {
            total += grid.logMarginal(data.responses.responses(ofLearner: l).map { (items[$0.item], $0.correct) })
        }
        guard let item else { return total }
        total += -log(item.a) * log(item.a) / 2 - item.b * item.b / 32
        if model == .threePL { total += 4 * log(item.c) + 16 * log(1 - item.c) }
        return total
    }

    init() throws {
        self.init(model: .twoPL)
    }

    init(model: IRTModel) {
        self.model = model
        data = try! Simulation(model: model, learners: 300, items: 6, seed: 81).generate()
    }

    /// Numerical Hessian of `f` at `x` by central differences.
    static func hessian(_ f: ([Double]) -> Double, at x: [Double], step h: Double = 1e-4) -> [[Double]] {
        let n = x.count
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                func value(_ di: Double, _ dj: Double) -> Double {
                    var y = x
                    y[i] += di
                    y[j] += dj
                    return f(y)
                }
                out[i][j] = (value(h, h) - value(h, -h) - value(-h, h) + value(-h, -h)) / (4 * h * h)
                out[j][i] = out[i][j]
            }
        }
        return out
    }

    /// Diagonal of the inverse of a symmetric positive definite matrix (Gauss–Jordan).
    static func inverseDiagonal(_ m: [[Double]]) -> [Double] {
        let n = m.count
        var a = m.enumerated().map { i, row in row + (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<n {
            let pivot = a[c][c]
            a[c] = a[c].map { $0 / pivot }
            for r in 0..<n where r != c {
                let factor = a[r][c]
                a[r] = zip(a[r], a[c]).map { $0 - factor * $1 }
            }
        }
        return (0..<n).map { a[$0][n + $0] }
    }

    @Test(arguments: [IRTModel.twoPL, .threePL], [1, 4])
    func itemBlocksMatchANumericalHessian(model: IRTModel, item j: Int) throws {
        let fixture = StandardErrorTests(model: model)
        let result = try Calibrator.calibrate(fixture.data.responses, options: CalibrationOptions(model: model))
        let estimate = result.items[j]
        let items = result.items.map(\.parameters)
        let p = estimate.parameters
        let x = model == .threePL ? [p.a, p.b, p.c] : [p.a, p.b]
        let information = Self.hessian(
            { y in
                var changed = items
                changed[j] = ItemParameters(a: y[0], b: y[1], c: y.count > 2 ? y[2] : 0)
                return -fixture.logPosterior(changed, prior: changed[j])
            }, at: x)
        let se = Self.inverseDiagonal(information).map { $0.squareRoot() }
        #expect(abs(estimate.se.a / se[0] - 1) < 1e-4)
        #expect(abs(estimate.se.b / se[1] - 1) < 1e-4)
        if model == .threePL { #expect(abs(estimate.se.c / se[2] - 1) < 1e-4) }
    }

    @Test func onePLBlocksMatchANumericalHessian() throws {
        let fixture = StandardErrorTests(model: .onePL)
        let result = try Calibrator.calibrate(fixture.data.responses, options: CalibrationOptions(model: .onePL))
        let items = result.items.map(\.parameters)
        let h = 1e-4
        func curvature(_ f: (Double) -> Double) -> Double { -(f(h) - 2 * f(0) + f(-h)) / (h * h) }
        let a = items[0].a
        let slopeInformation =
            curvature { d in fixture.logPosterior(items.map { ItemParameters(a: $0.a + d, b: $0.b) }, prior: nil) }
            + (1 - log(a)) / (a * a)
        #expect(abs(result.items[0].se.a * slopeInformation.squareRoot() - 1) < 1e-4)
        let b = items[2].b
        let difficultyInformation =
            curvature { d in
                var changed = items
                changed[2].b = b + d
                return fixture.logPosterior(changed, prior: nil)
            } + 1.0 / 16
        #expect(abs(result.items[2].se.b * difficultyInformation.squareRoot() - 1) < 1e-4)
    }

    @Test func fitStatisticsUseTheMarginalLikelihood() throws {
        let result = try Calibrator.calibrate(data.responses, options: CalibrationOptions(model: .twoPL))
        let logLikelihood = logPosterior(result.items.map(\.parameters), prior: nil)
        #expect(abs(result.logLikelihood - logLikelihood) < 1e-9 * abs(logLikelihood))
        #expect(result.parameterCount == 12)
        #expect(abs(result.aic - (-2 * result.logLikelihood + 24)) < 1e-9)
        #expect(abs(result.bic - (-2 * result.logLikelihood + 12 * log(300))) < 1e-9)
    }
}
