import Glibc

/// The posterior of one response pattern over the grid, in the linear domain: prior weights times the product of
/// the pattern's response probabilities. Calibration's final EAP pass and `AbilityScorer` both use these two
/// functions, so the same pattern, prior and grid give bit-identical estimates when responses come in the same
/// order (calibration takes a learner's items in ascending index order).
enum Posterior {
    /// `acc ← acc · row`. When the running maximum falls below 2^−100 the whole vector is rescaled by the exact
    /// power of two that brings the maximum into [1, 2), and the power is added to `exponent`: the normalised
    /// posterior does not change, and with probabilities floored at 2^−900 the maximum can never underflow.
    @inline(__always)
    static func multiply(
        _ acc: UnsafeMutablePointer<SIMD8<Double>>, by row: UnsafePointer<SIMD8<Double>>, chunks: Int,
        exponent: inout Int
    ) {
        var top = SIMD8<Double>.zero
        for k in 0..<chunks {
            let v = acc[k] * row[k]
            acc[k] = v
            top = top.lanewiseMax(v)
        }
        let peak = top.max()
        if peak < 0x1p-100 {
            let shift = Int(peak.exponent)
            let factor = Double(sign: .plus, exponent: -shift, significand: 1)
            for k in 0..<chunks { acc[k] *= factor }
            exponent += shift
        }
    }

    /// Normalises `acc` in place and returns the posterior mean, SD and the log marginal likelihood
    /// `ln Σ_q prior_q Π P` (with `exponent` from `multiply`). The SD is computed around the mean in a second pass
    /// (no cancellation) and is never negative.
    @inline(__always)
    static func finish(
        _ acc: UnsafeMutablePointer<SIMD8<Double>>, nodes: UnsafePointer<SIMD8<Double>>, chunks: Int, exponent: Int
    ) -> (mean: Double, sd: Double, logLikelihood: Double) {
        var total = SIMD8<Double>.zero
        for k in 0..<chunks { total += acc[k] }
        let mass = total.sum()
        let inverse = 1 / mass
        var first = SIMD8<Double>.zero
        for k in 0..<chunks {
            let p = acc[k] * inverse
            acc[k] = p
            first += p * nodes[k]
        }
        let mean = first.sum()
        var second = SIMD8<Double>.zero
        for k in 0..<chunks {
            let d = nodes[k] - mean
            second += acc[k] * d * d
        }
        let logLikelihood = log(mass) + Double(exponent) * 0.693_147_180_559_945_3
        return (mean, second.sum().squareRoot(), logLikelihood)
    }
}
