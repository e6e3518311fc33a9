import Glibc
import IRT

/// Root mean square difference.
func rmse(_ x: [Double], _ y: [Double]) -> Double {
    (zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(x.count)).squareRoot()
}

/// Simulates data and calibrates it with default options for `model` (plus `configure`).
func simulateAndCalibrate(
    _ model: IRTModel, learners: Int, items: Int, perLearner: Int? = nil, seed: UInt64,
    configure: (inout CalibrationOptions) -> Void = { _ in }
) throws -> (Simulation.Output, CalibrationResult) {
    let data = try Simulation(model: model, learners: learners, items: items, perLearner: perLearner, seed: seed)
        .generate()
    var options = CalibrationOptions(model: model)
    configure(&options)
    return (data, try Calibrator.calibrate(data.responses, options: options))
}

/// Builds a response matrix from `(learner, item, correct)` triples.
func matrix(learners: Int, items: Int, _ triples: [(Int, Int, Bool)]) throws -> ResponseMatrix {
    try ResponseMatrix(
        learnerCount: learners, itemCount: items, learners: triples.map { Int32($0.0) },
        items: triples.map { Int32($0.1) }, correct: triples.map(\.2))
}

/// Whether every number a calibration reports is finite.
func allFinite(_ result: CalibrationResult) -> Bool {
    let items = result.items.allSatisfy { e in
        [e.parameters.a, e.parameters.b, e.parameters.c, e.se.a, e.se.b, e.se.c].allSatisfy(\.isFinite)
    }
    let abilities = result.abilities.allSatisfy { $0.theta.isFinite && $0.se.isFinite && $0.se >= 0 }
    return items && abilities && result.logLikelihood.isFinite && result.aic.isFinite && result.bic.isFinite
        && result.latentMean.isFinite && result.latentSD.isFinite
}

/// An independent, plain implementation of the quadrature the engine documents: `points` equally spaced nodes
/// on `[−range, range]` with normalised N(mean, sd²) weights.
struct ReferenceGrid {
    var nodes: [Double]
    var weights: [Double]

    init(points: Int = 61, range: Double = 6, mean: Double = 0, sd: Double = 1) {
        nodes = (0..<points).map { -range + 2 * range * Double($0) / Double(points - 1) }
        let raw = nodes.map { exp(-0.5 * (($0 - mean) / sd) * (($0 - mean) / sd)) }
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
    }

    /// Log of `Σ_q w_q Π_i P(u_i | θ_q)`, computed naively in the log domain.
    func logMarginal(_ responses: [(ItemParameters, Bool)]) -> Double {
        let logs = nodes.indices.map { q in
            log(weights[q])
                + responses.reduce(0) { sum, r in
                    let p = r.0.probability(at: nodes[q])
                    return sum + log(r.1 ? p : 1 - p)
                }
        }
        let peak = logs.max()!
        return peak + log(logs.reduce(0) { $0 + exp($1 - peak) })
    }
}
