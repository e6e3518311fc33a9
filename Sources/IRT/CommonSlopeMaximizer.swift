/// The 1PL M-step: one discrimination `a` shared by every free item, and a difficulty per free item, maximised
/// jointly.
///
/// The information matrix of `(a, b₁ … b_J)` is an arrowhead (`a` couples to every `b_j`, the `b_j` not to each
/// other), so each Newton step is solved exactly through the Schur complement of the `b` block in O(J). Otherwise
/// it follows `ItemMaximizer`: observed information when positive definite, else Fisher scoring; step halving;
/// coordinates on a bound with the gradient pointing out are frozen.
struct CommonSlopeMaximizer {
    /// One 2-dimensional likelihood per free item.
    let likelihoods: [ItemLikelihood]
    let priors: CalibrationOptions.Priors

    func objective(a: Double, b: [Double]) -> Double {
        var value = priors.slope(a).value
        for (j, likelihood) in likelihoods.enumerated() {
            value += likelihood.value(ItemParameters(a: a, b: b[j])) + priors.difficulty(b[j]).value
        }
        return value
    }

    func maximize(a start: Double, b startB: [Double]) -> (a: Double, b: [Double]) {
        let count = likelihoods.count
        var a = Bounds.clamp(start, Bounds.a)
        var b = startB.map { Bounds.clamp($0, Bounds.b) }
        var current = objective(a: a, b: b)
        var gradientB = [Double](repeating: 0, count: count)
        var cross = [Double](repeating: 0, count: count)
        var diagonal = [Double](repeating: 0, count: count)
        var stepB = [Double](repeating: 0, count: count)
        for _ in 0..<100 {
            let slope = priors.slope(a)
            var gradientA = slope.gradient
            var corner = slope.exactInformation
            var fisherCorner = slope.positiveInformation
            var fisherCross = [Double](repeating: 0, count: count)
            var fisherDiagonal = [Double](repeating: 0, count: count)
            for (j, likelihood) in likelihoods.enumerated() {
                let e = likelihood.evaluate(ItemParameters(a: a, b: b[j]))
                let difficulty = priors.difficulty(b[j])
                gradientA += e.gradient.x
                gradientB[j] = e.gradient.y + difficulty.gradient
                corner += e.observed.aa
                cross[j] = e.observed.ab
                diagonal[j] = e.observed.bb + difficulty.exactInformation
                fisherCorner += e.expected.aa
                fisherCross[j] = e.expected.ab
                fisherDiagonal[j] = e.expected.bb + difficulty.positiveInformation
            }
            let freeA = movable(a, Bounds.a, gradientA)
            let freeB = (0..<count).map { movable(b[$0], Bounds.b, gradientB[$0]) }
            guard freeA || freeB.contains(true) else { break }
            var stepA = 0.0
            let solved =
                solve(
                    freeA: freeA, freeB: freeB, gradientA: gradientA, gradientB: gradientB, corner: corner,
                    cross: cross, diagonal: diagonal, stepA: &stepA, stepB: &stepB)
                || solve(
                    freeA: freeA, freeB: freeB, gradientA: gradientA, gradientB: gradientB, corner: fisherCorner,
                    cross: fisherCross, diagonal: fisherDiagonal, stepA: &stepA, stepB: &stepB)
            guard solved else { break }
            var t = 1.0
            var accepted = false
            for _ in 0..<40 {
                let candidateA = Bounds.clamp(a + t * stepA, Bounds.a)
                let candidateB = (0..<count).map { Bounds.clamp(b[$0] + t * stepB[$0], Bounds.b) }
                let value = objective(a: candidateA, b: candidateB)
                if value >= current {
                    var moved = abs(candidateA - a)
                    for j in 0..<count { moved = max(moved, abs(candidateB[j] - b[j])) }
                    (a, b, current) = (candidateA, candidateB, value)
                    accepted = moved >= 1e-10
                    break
                }
                t *= 0.5
            }
            if !accepted { break }
        }
        return (a, b)
    }

    /// Solves the arrowhead system on the free coordinates; `false` unless it is positive definite.
    private func solve(
        freeA: Bool, freeB: [Bool], gradientA: Double, gradientB: [Double], corner: Double, cross: [Double],
        diagonal: [Double], stepA: inout Double, stepB: inout [Double]
    ) -> Bool {
        var schur = corner
        var reduced = gradientA
        for j in freeB.indices where freeB[j] {
            guard diagonal[j] > 0 else { return false }
            schur -= cross[j] * cross[j] / diagonal[j]
            reduced -= cross[j] * gradientB[j] / diagonal[j]
        }
        if freeA {
            guard schur > 1e-12 * max(abs(corner), 1e-300) else { return false }
            stepA = reduced / schur
        } else {
            stepA = 0
        }
        for j in freeB.indices {
            stepB[j] = freeB[j] ? (gradientB[j] - cross[j] * stepA) / diagonal[j] : 0
        }
        return stepA.isFinite && stepB.allSatisfy(\.isFinite)
    }

    private func movable(_ x: Double, _ range: ClosedRange<Double>, _ g: Double) -> Bool {
        !((x <= range.lowerBound && g < 0) || (x >= range.upperBound && g > 0))
    }
}
