import Glibc

/// Scores one response pattern against known item parameters; cheap enough for a request path (a 40-response
/// pattern takes a few microseconds).
///
/// EAP uses the calibration's grid and `Posterior` kernel: given the same grid and the calibration's latent mean
/// and SD as prior, it returns bit for bit the calibration's EAP for a learner whose responses are passed in
/// ascending item order (another order changes only the last bits). Responses to items whose parameters are not
/// usable (non-finite, `a ≤ 0`, `c` outside `[0, 1)`) carry no information and are skipped.
public struct AbilityScorer: Sendable {
    public let priorMean: Double
    public let priorSD: Double
    let grid: Quadrature
    let prior: [SIMD8<Double>]

    /// - Precondition: `quadraturePoints ≥ 2`, `range > 0`, `priorSD > 0`, all finite.
    public init(quadraturePoints: Int = 61, range: Double = 6, priorMean: Double = 0, priorSD: Double = 1) {
        // Unreachable from a request: `Calibrator.modes` passes its final latent scale (SD 1 without anchors; with
        // them, `LatentScale` and `EMEngine.unpack` clamp it into `Bounds.latentSD`, and a NaN would make the objective
        // NaN, which `Calibrator.iterate` never accepts); `OnlineAbilityEstimator.estimate` checks the stored scale
        // before building a scorer. The grid arguments are checked where `Quadrature.init` says.
        precondition(priorMean.isFinite && priorSD.isFinite && priorSD > 0, "prior SD must be positive and finite")
        self.priorMean = priorMean
        self.priorSD = priorSD
        grid = Quadrature(points: quadraturePoints, range: range)
        prior = grid.priorWeights(mean: priorMean, sd: priorSD)
    }

    /// Expected a posteriori ability over the grid, with the posterior SD as `se`. With no usable responses it is
    /// the prior's mean and SD (as discretised on the grid).
    public func eap(_ responses: [(ItemParameters, Bool)]) -> AbilityEstimate {
        let chunks = grid.chunks
        return withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: 3 * chunks) { scratch in
            // `baseAddress` is non-nil: `scratch` holds `3 * chunks ≥ 3` elements (`Quadrature` has ≥ 2 points).
            let acc = scratch.baseAddress!
            let rows = acc + chunks
            // `prior` holds `chunks ≥ 1` elements (`Quadrature.priorWeights`), so its base address is non-nil.
            prior.withUnsafeBufferPointer { acc.initialize(from: $0.baseAddress!, count: chunks) }
            rows.initialize(repeating: .zero, count: 2 * chunks)
            var exponent = 0
            for (item, correct) in responses where item.isUsable {
                ResponseCurves.fill(item, grid: grid, rows: rows)
                Posterior.multiply(acc, by: correct ? rows + chunks : rows, chunks: chunks, exponent: &exponent)
            }
            // `grid.nodes` holds `chunks ≥ 1` elements, so its base address is non-nil.
            let fit = grid.nodes.withUnsafeBufferPointer { nodes in
                Posterior.finish(acc, nodes: nodes.baseAddress!, chunks: chunks, exponent: exponent)
            }
            return AbilityEstimate(theta: fit.mean, se: fit.sd)
        }
    }

    /// Maximum a posteriori ability under the N(priorMean, priorSD²) prior (not restricted to the grid), by
    /// Fisher scoring from the EAP with step halving; `se` is `1 / √(test information + 1/priorSD²)` at the mode.
    /// The prior keeps the mode finite for all-correct and all-wrong patterns.
    public func map(_ responses: [(ItemParameters, Bool)]) -> AbilityEstimate {
        mode(responses.filter { $0.0.isUsable }, from: eap(responses).theta)
    }

    /// The posterior mode of `usable` responses, searched from `start`.
    func mode(_ usable: [(ItemParameters, Bool)], from start: Double) -> AbilityEstimate {
        let precision = 1 / (priorSD * priorSD)
        func logPosterior(_ theta: Double) -> Double {
            var total = -0.5 * (theta - priorMean) * (theta - priorMean) * precision
            for (item, correct) in usable {
                let (p, q) = probabilities(item, theta)
                total += correct ? log(p) : log(q)
            }
            return total
        }
        func slope(_ theta: Double) -> (gradient: Double, information: Double) {
            var gradient = -(theta - priorMean) * precision
            var information = precision
            for (item, correct) in usable {
                let (l, _) = Logistic.split(item.a * (theta - item.b))
                let (p, q) = probabilities(item, theta)
                let g = item.a * (item.c == 0 ? 1 : l / p)  // ∂P/∂θ / (P(1 − P))
                gradient += ((correct ? 1 : 0) - p) * g
                information += p * q * g * g
            }
            return (gradient, information)
        }
        var theta = start
        var current = logPosterior(theta)
        for _ in 0..<100 {
            let (gradient, information) = slope(theta)
            let step = gradient / information
            var t = 1.0
            var moved = false
            for _ in 0..<40 {
                let candidate = theta + t * step
                let value = logPosterior(candidate)
                if value >= current {
                    moved = abs(candidate - theta) >= 1e-10
                    (theta, current) = (candidate, value)
                    break
                }
                t *= 0.5
            }
            if !moved { break }
        }
        return AbilityEstimate(theta: theta, se: 1 / slope(theta).information.squareRoot())
    }

    /// `(P, 1 − P)` at `theta`, floored like `ResponseCurves`.
    private func probabilities(_ item: ItemParameters, _ theta: Double) -> (Double, Double) {
        let (l, q) = Logistic.split(item.a * (theta - item.b))
        return (max(item.c + (1 - item.c) * l, ResponseCurves.floor), max((1 - item.c) * q, ResponseCurves.floor))
    }
}
