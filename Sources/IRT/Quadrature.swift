import Glibc

/// The fixed quadrature grid: `count` equally spaced nodes on `[−range, range]`.
///
/// Values over the grid live in `SIMD8<Double>` chunks; the last chunk is padded with nodes that continue the
/// spacing and carry zero prior weight, so that kernels run whole vectors without a remainder loop.
struct Quadrature: Sendable {
    /// Number of real nodes.
    let count: Int
    /// Number of `SIMD8` chunks covering the nodes (padding included).
    let chunks: Int
    /// The first node, `−range`.
    let first: Double
    /// Distance between neighbouring nodes.
    let step: Double
    /// Node values per lane, padding included.
    let nodes: [SIMD8<Double>]

    init(points: Int, range: Double) {
        // Unreachable from a request: `Calibrator.validate` bounds the options (5...1001 points, range 1...20) before
        // `Calibrator` or `Calibrator.modes` builds a grid; `OnlineAbilityEstimator` uses the defaults (61, 6).
        precondition(points >= 2 && range > 0 && range.isFinite, "quadrature needs ≥ 2 points and a positive range")
        count = points
        chunks = (points + 7) / 8
        first = -range
        step = 2 * range / Double(points - 1)
        var nodes = [SIMD8<Double>](repeating: .zero, count: chunks)
        for q in 0..<chunks * 8 { nodes[q / 8][q % 8] = -range + Double(q) * step }
        self.nodes = nodes
    }

    /// The node values beyond which padding starts.
    var last: Double { first + Double(chunks * 8 - 1) * step }

    /// Normalised weights of the N(mean, sd²) density on the nodes (their sum is 1); padded lanes are 0.
    func priorWeights(mean: Double, sd: Double) -> [SIMD8<Double>] {
        var weights = [SIMD8<Double>](repeating: .zero, count: chunks)
        var total = 0.0
        for q in 0..<count {
            let z = (nodes[q / 8][q % 8] - mean) / sd
            let w = exp(-0.5 * z * z)
            weights[q / 8][q % 8] = w
            total += w
        }
        let inverse = 1 / total
        for k in 0..<chunks { weights[k] *= inverse }
        return weights
    }

    /// `log` of `priorWeights`: padded lanes (and weights that underflow) are `−∞`.
    func logPriorWeights(mean: Double, sd: Double) -> [SIMD8<Double>] {
        priorWeights(mean: mean, sd: sd).map { chunk in
            var out = chunk
            for i in 0..<8 { out[i] = log(chunk[i]) }
            return out
        }
    }
}
