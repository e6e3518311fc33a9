import Glibc

/// The M-step for the latent mean and SD of an anchored calibration.
///
/// The prior on the grid is the normal density normalised over the nodes, an exponential family with
/// sufficient statistics `(θ, θ²)`. Its exact M-step therefore matches the grid distribution's first two moments
/// to the learners' average posterior moments `m₁ = mean E_l[θ]`, `m₂ = mean E_l[θ²]` — very nearly, but not
/// exactly, `μ = m₁`, `σ² = m₂ − m₁²`, because the grid truncates the tails. Solving it exactly (Newton–Raphson on
/// the natural parameters `(μ/σ², −1/(2σ²))`, where the objective is concave) keeps EM exactly monotone in the
/// marginal likelihood, which SQUAREM's acceptance test relies on. The result is then kept within the latent
/// bounds.
enum LatentScale {
    static func maximize(
        firstMoment m1: Double, secondMoment m2: Double, grid: Quadrature, meanRange: ClosedRange<Double>
    ) -> (mean: Double, sd: Double) {
        let nodes = (0..<grid.count).map { grid.nodes[$0 >> 3][$0 & 7] }
        let variance = min(max(m2 - m1 * m1, 0.01 * 0.01), 100)
        var eta = SIMD2(m1 / variance, -0.5 / variance)
        /// `ℓ(η) = η·m − ln Σ exp(η₁θ + η₂θ²)`, with the grid moments.
        func evaluate(_ eta: SIMD2<Double>) -> (value: Double, mean: SIMD2<Double>, covariance: SIMD3<Double>) {
            let exponents = nodes.map { eta.x * $0 + eta.y * $0 * $0 }
            let peak = exponents.max() ?? 0
            var total = 0.0
            var first = SIMD2<Double>.zero
            for (theta, e) in zip(nodes, exponents) {
                let w = exp(e - peak)
                total += w
                first += w * SIMD2(theta, theta * theta)
            }
            first /= total
            var covariance = SIMD3<Double>.zero
            for (theta, e) in zip(nodes, exponents) {
                let w = exp(e - peak) / total
                let d = SIMD2(theta, theta * theta) - first
                covariance += w * SIMD3(d.x * d.x, d.x * d.y, d.y * d.y)
            }
            return (eta.x * m1 + eta.y * m2 - peak - log(total), first, covariance)
        }
        var current = evaluate(eta)
        for _ in 0..<50 {
            let g = SIMD2(m1, m2) - current.mean
            let c = current.covariance
            let determinant = c.x * c.z - c.y * c.y
            guard determinant > 0, determinant.isFinite else { break }
            let step = SIMD2(c.z * g.x - c.y * g.y, c.x * g.y - c.y * g.x) / determinant
            var t = 1.0
            var accepted = false
            for _ in 0..<40 {
                let candidate = eta + t * step
                if candidate.y < 0 {
                    let next = evaluate(candidate)
                    if next.value >= current.value {
                        accepted = abs(t * step.x) + abs(t * step.y) > 1e-14 * (abs(eta.x) + abs(eta.y))
                        (eta, current) = (candidate, next)
                        break
                    }
                }
                t *= 0.5
            }
            if !accepted { break }
        }
        let sd = (-0.5 / eta.y).squareRoot()
        let mean = eta.x * sd * sd
        guard mean.isFinite, sd.isFinite else {
            return (Bounds.clamp(m1, meanRange), Bounds.clamp(variance.squareRoot(), Bounds.latentSD))
        }
        return (Bounds.clamp(mean, meanRange), Bounds.clamp(sd, Bounds.latentSD))
    }
}
