/// S-X² (Orlando & Thissen 2000) for the items of one scale whose learners answered every item of it.
///
/// Learners are grouped by summed score `k = 1 … n − 1` over the scale's `n` items (scores 0 and `n` say nothing
/// about any item). For item `i` the expected proportion correct in group `k` is
/// `E_ik = Σ_q w_q P_i(θ_q) S*_{k−1}(θ_q) / Σ_q w_q S_k(θ_q)`, where `S` is the summed-score distribution of all
/// `n` items at node `θ_q`, `S*` that of the other `n − 1`, both by the Lord–Wingersky recursion, and `w` the
/// quadrature weights of the estimated latent N(mean, sd²). Each group gives two cells, incorrect and correct,
/// with observed counts `O` and expected `N_k (1 − E_ik)`, `N_k E_ik`.
///
/// Collapsing, as mirt's `itemfit` does by default (minimum expected count 1): starting at the lowest score, a
/// group with an expected count below 1 is merged into the next group up while that keeps being true; likewise
/// from the highest score downwards; then any remaining group with a small expected count is merged into its
/// upper neighbour (the lower one for the last group), until none is left.
/// `S-X² = Σ (O − E)² / E` over the remaining cells, with `groups − parameters` degrees of freedom.
struct SummedScoreFitTable {
    /// Indices of the scale's items, ascending.
    let scale: [Int]
    /// Estimated parameters of each item (all items, by index).
    let items: [ItemParameters]
    /// Parameters estimated per item, by index (0 for anchors); the degrees of freedom subtract them.
    let parameterCounts: [Int]
    let grid: Quadrature
    let latentMean: Double
    let latentSD: Double

    /// S-X² per scale item (parallel to `scale`), `.notComputed` with the reason when the scale's data are not
    /// complete or too few groups remain.
    func compute(_ data: ResponseMatrix) -> [SummedScoreFit] {
        let n = scale.count
        guard n >= 3 else {
            return Array(repeating: .notComputed(reason: "the scale has fewer than 3 items"), count: n)
        }
        var position = [Int](repeating: -1, count: data.itemCount)
        for (s, j) in scale.enumerated() { position[j] = s }
        // groupSize[k], correctAt[s * (n + 1) + k].
        var groupSize = [Int](repeating: 0, count: n + 1)
        var correctAt = [Int](repeating: 0, count: n * (n + 1))
        var answered = 0
        for l in 0..<data.learnerCount {
            var count = 0
            var score = 0
            for r in data.rowStart[l]..<data.rowStart[l + 1] {
                let s = position[Int(data.codes[r] >> 1)]
                if s < 0 { continue }
                count += 1
                score += Int(data.codes[r] & 1)
            }
            if count == 0 { continue }
            guard count == n else {
                let reason = "incomplete data: a learner answered \(count) of the \(n) items (S-X² needs every item)"
                return Array(repeating: .notComputed(reason: reason), count: n)
            }
            answered += 1
            groupSize[score] += 1
            for r in data.rowStart[l]..<data.rowStart[l + 1] where data.codes[r] & 1 == 1 {
                let s = position[Int(data.codes[r] >> 1)]
                if s >= 0 { correctAt[s * (n + 1) + score] += 1 }
            }
        }
        guard answered > 0 else { return Array(repeating: .notComputed(reason: "no responses"), count: n) }
        let expected = expectedProportions()
        return (0..<n).map { s in
            var rows: [Cells] = []
            for k in 1..<n {
                let size = Double(groupSize[k])
                let correct = Double(correctAt[s * (n + 1) + k])
                let e = expected[s * (n + 1) + k]
                rows.append(Cells(observed: SIMD2(size - correct, correct), expected: SIMD2(size * (1 - e), size * e)))
            }
            return Self.statistic(rows, parameters: parameterCounts[scale[s]])
        }
    }

    /// Observed and expected counts (incorrect, correct) of one score group.
    struct Cells {
        var observed: SIMD2<Double>
        var expected: SIMD2<Double>

        var isSmall: Bool { expected.x < 1 || expected.y < 1 }

        mutating func absorb(_ other: Cells) {
            observed += other.observed
            expected += other.expected
        }
    }

    /// Collapses `rows` (lowest score first) and sums the statistic.
    static func statistic(_ rows: [Cells], parameters: Int) -> SummedScoreFit {
        var rows = rows
        while rows.count > 1 && rows[0].isSmall {
            let lowest = rows.removeFirst()
            rows[0].absorb(lowest)
        }
        while rows.count > 1 && rows[rows.count - 1].isSmall {
            let highest = rows.removeLast()
            rows[rows.count - 1].absorb(highest)
        }
        while rows.count > 1, let i = rows.firstIndex(where: \.isSmall) {
            let target = i + 1 < rows.count ? i + 1 : i - 1
            rows[target].absorb(rows[i])
            rows.remove(at: i)
        }
        let df = rows.count - parameters
        guard df >= 1, rows.allSatisfy({ !$0.isSmall }) else {
            return .notComputed(
                reason: "\(rows.count) score groups remain after collapsing, too few for \(parameters) parameters")
        }
        var total = 0.0
        for row in rows {
            let d = row.observed - row.expected
            total += (d * d / row.expected).sum()
        }
        let p = ChiSquare.survival(total, degreesOfFreedom: Double(df)) ?? 1
        return .computed(SX2(statistic: total, degreesOfFreedom: df, p: p, adjustedP: p))
    }

    /// `E_sk` at `s * (n + 1) + k` for `k = 1 … n − 1` (see `LeaveOneOutScores`).
    private func expectedProportions() -> [Double] {
        LeaveOneOutScores(
            table: ResponseCurves.table(scale.map { items[$0] }, grid: grid),
            weights: grid.priorWeights(mean: latentMean, sd: latentSD), items: scale.count, chunks: grid.chunks
        ).expectedProportions()
    }
}
