import Glibc

/// The expected complete-data log-likelihood of one item given expected counts over the grid, its gradient and
/// information in `(a, b, c)`.
///
/// With `r_q`, `w_q` the expected correct and incorrect counts at node `θ_q` and `n_q = r_q + w_q`:
/// `ℓ = Σ r_q ln P_q + w_q ln(1 − P_q)`. Writing `g = ∂P/∂ψ / (P(1 − P))` — `((θ − b) L/P, −a L/P, 1/((1 − c)P))`
/// with `L` the logistic part — the gradient is `Σ (r − nP) g`, the expected (Fisher) information
/// `Σ n P(1 − P) g gᵀ`, and the observed information `Σ (r(1 − P)² + wP²) g gᵀ − (r − nP)(L/P) M`, where `M` holds
/// the second derivatives of `P` divided by `(1 − c)L(1 − L)`. Every factor is formed so that no tail underflow
/// can produce 0/0.
struct ItemLikelihood {
    /// Rows of expected incorrect and correct counts of the item (`grid.chunks` vectors each).
    let incorrect: UnsafePointer<SIMD8<Double>>
    let correct: UnsafePointer<SIMD8<Double>>
    let grid: Quadrature
    /// 2 for `(a, b)`, 3 for `(a, b, c)`.
    let dimensions: Int

    struct Evaluation {
        var value = 0.0
        var gradient = SIMD3<Double>.zero
        /// Complete-data observed information, `−∂²ℓ`.
        var observed = Symmetric3()
        /// Expected (Fisher) information.
        var expected = Symmetric3()
        /// `Σ_q r_q s₁ s₁ᵀ + w_q s₀ s₀ᵀ` with `s_u` the complete-data score of answer `u` at node `q`: the
        /// posterior second moment of the score that Louis' identity subtracts (see `StandardErrors`).
        var scoreSecondMoment = Symmetric3()
    }

    /// `ℓ` alone.
    func value(_ item: ItemParameters) -> Double {
        var total = 0.0
        for q in 0..<grid.count {
            let r = correct[q >> 3][q & 7]
            let w = incorrect[q >> 3][q & 7]
            if r == 0 && w == 0 { continue }
            let (p, oneMinusP, _) = curve(item, at: grid.nodes[q >> 3][q & 7])
            if r > 0 { total += r * log(p) }
            if w > 0 { total += w * log(oneMinusP) }
        }
        return total
    }

    /// `ℓ` with gradient and both informations.
    func evaluate(_ item: ItemParameters) -> Evaluation {
        var out = Evaluation()
        let a = item.a
        let c = item.c
        for q in 0..<grid.count {
            let r = correct[q >> 3][q & 7]
            let w = incorrect[q >> 3][q & 7]
            if r == 0 && w == 0 { continue }
            let theta = grid.nodes[q >> 3][q & 7]
            let (p, oneMinusP, l) = curve(item, at: theta)
            if r > 0 { out.value += r * log(p) }
            if w > 0 { out.value += w * log(oneMinusP) }
            let n = r + w
            let ratio = c == 0 ? 1 : l / p
            let d = theta - item.b
            let g = SIMD3(d * ratio, -a * ratio, dimensions == 3 ? 1 / ((1 - c) * p) : 0)
            let residual = r - n * p
            out.gradient += residual * g
            out.expected.addOuter(g, weight: n * p * oneMinusP)
            out.scoreSecondMoment.addOuter(g, weight: r * oneMinusP * oneMinusP + w * p * p)
            let curvature = (1 - l) - l  // 1 − 2L
            let k = residual * ratio
            out.observed.aa -= k * curvature * d * d
            out.observed.ab += k * (a * curvature * d + 1)
            out.observed.bb -= k * curvature * a * a
            if dimensions == 3 {
                out.observed.ac += k * d / (1 - c)
                out.observed.bc -= k * a / (1 - c)
            }
        }
        out.observed.add(out.scoreSecondMoment)
        return out
    }

    /// `(P, 1 − P, L)` at `theta`, floored like `ResponseCurves`.
    @inline(__always)
    func curve(_ item: ItemParameters, at theta: Double) -> (Double, Double, Double) {
        let (l, lq) = Logistic.split(item.a * (theta - item.b))
        let p = item.c == 0 ? l : item.c + (1 - item.c) * l
        let oneMinusP = item.c == 0 ? lq : (1 - item.c) * lq
        return (max(p, ResponseCurves.floor), max(oneMinusP, ResponseCurves.floor), l)
    }
}

extension CalibrationOptions.Priors {
    /// One prior term: log density (up to a constant), its derivative, minus its second derivative, and a
    /// positive curvature used when the exact one would make a Newton matrix indefinite.
    struct Term {
        var value: Double
        var gradient: Double
        var exactInformation: Double
        var positiveInformation: Double
    }

    /// `ln a ~ N(logSlopeMean, logSlopeSD²)`, as a penalty in `a`.
    func slope(_ a: Double) -> Term {
        let s2 = logSlopeSD * logSlopeSD
        let u = log(a) - logSlopeMean
        return Term(
            value: -u * u / (2 * s2), gradient: -u / (s2 * a), exactInformation: (1 - u) / (s2 * a * a),
            positiveInformation: 1 / (s2 * a * a))
    }

    /// `b ~ N(0, difficultySD²)`.
    func difficulty(_ b: Double) -> Term {
        let s2 = difficultySD * difficultySD
        return Term(value: -b * b / (2 * s2), gradient: -b / s2, exactInformation: 1 / s2, positiveInformation: 1 / s2)
    }

    /// `c ~ Beta(guessingAlpha, guessingBeta)`.
    func guessing(_ c: Double) -> Term {
        let a1 = guessingAlpha - 1
        let b1 = guessingBeta - 1
        let information = a1 / (c * c) + b1 / ((1 - c) * (1 - c))
        return Term(
            value: a1 * log(c) + b1 * log(1 - c), gradient: a1 / c - b1 / (1 - c), exactInformation: information,
            positiveInformation: information)
    }

    /// Checks that every prior is proper and finite.
    func validate() throws(IRTError) {
        guard logSlopeMean.isFinite, logSlopeSD.isFinite, logSlopeSD > 0, difficultySD.isFinite, difficultySD > 0
        else { throw IRTError("priors: logSlopeSD and difficultySD must be finite and positive") }
        guard guessingAlpha.isFinite, guessingBeta.isFinite, guessingAlpha >= 1, guessingBeta >= 1 else {
            throw IRTError("priors: guessingAlpha and guessingBeta must be finite and at least 1")
        }
    }
}
