/// The M-step for one 2PL or 3PL item: maximise its expected complete-data log-likelihood plus log priors.
///
/// Newton–Raphson with the observed information (plus the priors' curvature) when that is positive definite,
/// Fisher scoring (expected information) otherwise; each step is halved until the objective does not decrease,
/// and parameters are kept in `Bounds` by freezing any coordinate that sits on a bound with the gradient pointing
/// out of the box (a projected Newton step). Stops when no parameter moves more than 1e-10 or after 100 steps.
struct ItemMaximizer {
    let likelihood: ItemLikelihood
    let priors: CalibrationOptions.Priors

    var threePL: Bool { likelihood.dimensions == 3 }

    /// Likelihood plus log priors.
    func objective(_ item: ItemParameters) -> Double {
        var value = likelihood.value(item) + priors.slope(item.a).value + priors.difficulty(item.b).value
        if threePL { value += priors.guessing(item.c).value }
        return value
    }

    func maximize(from start: ItemParameters) -> ItemParameters {
        var item = clamped(start)
        var current = objective(item)
        for _ in 0..<100 {
            let e = likelihood.evaluate(item)
            let slope = priors.slope(item.a)
            let difficulty = priors.difficulty(item.b)
            let guessing = threePL ? priors.guessing(item.c) : nil
            let gradient = e.gradient + SIMD3(slope.gradient, difficulty.gradient, guessing?.gradient ?? 0)
            let keep = free(item, gradient: gradient)
            if !keep.any { break }
            var observed = e.observed
            observed.addDiagonal(
                SIMD3(slope.exactInformation, difficulty.exactInformation, guessing?.exactInformation ?? 0))
            var expected = e.expected
            expected.addDiagonal(
                SIMD3(slope.positiveInformation, difficulty.positiveInformation, guessing?.positiveInformation ?? 0))
            let g = keep.apply(gradient)
            guard
                let step = observed.restricted(to: keep).solve(g) ?? expected.restricted(to: keep).solve(g)
            else { break }
            var t = 1.0
            var accepted = false
            for _ in 0..<40 {
                let candidate = clamped(
                    ItemParameters(a: item.a + t * step.x, b: item.b + t * step.y, c: item.c + t * step.z))
                let value = objective(candidate)
                if value >= current {
                    let moved = max(abs(candidate.a - item.a), abs(candidate.b - item.b), abs(candidate.c - item.c))
                    item = candidate
                    current = value
                    accepted = moved >= 1e-10
                    break
                }
                t *= 0.5
            }
            if !accepted { break }
        }
        return item
    }

    /// Coordinates that may move: estimated, and not pressed against a bound by the gradient.
    private func free(_ item: ItemParameters, gradient: SIMD3<Double>) -> Mask3 {
        func movable(_ x: Double, _ range: ClosedRange<Double>, _ g: Double) -> Bool {
            !((x <= range.lowerBound && g < 0) || (x >= range.upperBound && g > 0))
        }
        return Mask3(
            a: movable(item.a, Bounds.a, gradient.x), b: movable(item.b, Bounds.b, gradient.y),
            c: threePL && movable(item.c, Bounds.c, gradient.z))
    }

    private func clamped(_ item: ItemParameters) -> ItemParameters {
        ItemParameters(
            a: Bounds.clamp(item.a, Bounds.a), b: Bounds.clamp(item.b, Bounds.b),
            c: threePL ? Bounds.clamp(item.c, Bounds.c) : 0)
    }
}
