/// Standard errors of the free item parameters from the observed information, by Louis' identity, per item block.
///
/// For item `j` with parameters `ψ_j`, Louis (1982) gives the observed information as the complete-data
/// information minus the posterior covariance of the complete-data score. Learners are independent, so the
/// covariance is `Σ_l (E_l[s sᵀ] − m_l m_lᵀ)`; the `E_l[s sᵀ]` terms cancel against part of the complete-data
/// information, leaving `I_j = Σ_l m_l m_lᵀ − Σ_q (r_q − n_q P_q)(L/P) M_q` (see `ItemLikelihood`), to which the
/// priors' curvature is added (the estimates are posterior modes). Each item's block is inverted on its own: the
/// covariance with other items' parameters is ignored, as is that with the latent mean and SD when anchored.
///
/// For the 1PL, each `b_j` uses its 1 × 1 block, and the shared `a` its own 1 × 1 block, whose score covariance
/// `Σ_l Var_l(S_l)` is taken over each learner's whole score for `a`.
///
/// When a block is not positive definite (a weakly identified 3PL item can do this), the expected complete-data
/// (Fisher) information of the item plus the priors' curvature is used instead; with proper priors that is always
/// positive definite, so every SE is finite.
enum StandardErrors {
    static func compute(
        state: ModelState, pass: FinalPass.Output, model: IRTModel, freeItems: [Int], grid: Quadrature,
        priors: CalibrationOptions.Priors
    ) -> [ItemParameters] {
        var se = [ItemParameters](repeating: ItemParameters(a: 0, b: 0, c: 0), count: state.items.count)
        let chunks = grid.chunks
        pass.counts.withUnsafeBufferPointer { counts in
            // Non-nil: `counts` holds `2 · itemCount · chunks ≥ 2` elements (`Calibrator.validate` refused an empty
            // matrix; `Quadrature` has `chunks ≥ 1`).
            let base = counts.baseAddress!
            var slopeObserved = 0.0
            var slopeExpected = 0.0
            for j in freeItems {
                let item = state.items[j]
                let likelihood = ItemLikelihood(
                    incorrect: base + 2 * j * chunks, correct: base + (2 * j + 1) * chunks, grid: grid,
                    dimensions: model.itemDimensions)
                let e = likelihood.evaluate(item)
                var observed = e.observed
                observed.add(e.scoreSecondMoment, scale: -1)
                observed.add(pass.scoreCrossProducts[j])
                var expected = e.expected
                let difficulty = priors.difficulty(item.b)
                if model == .onePL {
                    slopeObserved += e.observed.aa
                    slopeExpected += e.expected.aa
                    let information = observed.bb + difficulty.exactInformation
                    let fallback = expected.bb + difficulty.positiveInformation
                    se[j].b = 1 / (information > 0 ? information : fallback).squareRoot()
                    continue
                }
                let slope = priors.slope(item.a)
                let guessing = model == .threePL ? priors.guessing(item.c) : nil
                let keep = Mask3(a: true, b: true, c: model == .threePL)
                observed.addDiagonal(
                    SIMD3(slope.exactInformation, difficulty.exactInformation, guessing?.exactInformation ?? 0))
                expected.addDiagonal(
                    SIMD3(
                        slope.positiveInformation, difficulty.positiveInformation,
                        guessing?.positiveInformation ?? 0))
                let variance =
                    observed.restricted(to: keep).inverseDiagonal()
                    ?? expected.restricted(to: keep).inverseDiagonal() ?? SIMD3(repeating: 0)
                se[j] = ItemParameters(
                    a: variance.x.squareRoot(), b: variance.y.squareRoot(),
                    c: model == .threePL ? variance.z.squareRoot() : 0)
            }
            if model == .onePL, !freeItems.isEmpty {
                let a = state.items[freeItems[0]].a
                let slope = priors.slope(a)
                let information = slopeObserved - pass.slopeScoreVariance + slope.exactInformation
                let fallback = slopeExpected + slope.positiveInformation
                let sa = 1 / (information > 0 ? information : fallback).squareRoot()
                for j in freeItems { se[j].a = sa }
            }
        }
        return se
    }
}
