/// Summed-score distributions without each item in turn (Lord–Wingersky), for S-X²'s expected proportions.
///
/// Done directly, each item's leave-one-out distribution costs `n²/2` recursion steps per node, `n³/2` in all.
/// Divide and conquer shares the work: for a range of items, the distribution of every item outside it is built
/// once; the range is halved, each half receiving that distribution extended by the other half's items, down to
/// single items. Each item is added `O(log n)` times, `O(n² log n)` steps in all, with the same recursion steps
/// as the direct way (only the order in which items are added differs).
struct LeaveOneOutScores {
    /// Probability rows over the grid, two per item (incorrect, correct), as `ResponseCurves.table`.
    let table: [SIMD8<Double>]
    /// Quadrature weights of the latent distribution (padding 0).
    let weights: [SIMD8<Double>]
    let items: Int
    let chunks: Int

    /// `E_sk = Σ_q w P_s S*_{k−1} / Σ_q w (P_s S*_{k−1} + Q_s S*_k)` at `s * (n + 1) + k`, `k = 1 … n − 1`, where
    /// `S*` is the distribution of the other `n − 1` items.
    func expectedProportions() -> [Double] {
        let n = items
        var out = [Double](repeating: 0, count: n * (n + 1))
        var depth = 1
        while 1 << (depth - 1) < n { depth += 1 }
        let rowsPerLevel = (n + 1) * chunks
        var scratch = [SIMD8<Double>](repeating: .zero, count: (depth + 1) * rowsPerLevel)
        table.withUnsafeBufferPointer { table in
            weights.withUnsafeBufferPointer { weights in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    out.withUnsafeMutableBufferPointer { out in
                        // Every buffer is non-empty: `SummedScoreFitTable` computes S-X² only for n ≥ 3 items, and a
                        // grid has ≥ 1 chunk, so table, weights, scratch and out all hold elements.
                        let context = Context(
                            table: table.baseAddress!, weights: weights.baseAddress!, scratch: scratch.baseAddress!,
                            out: out.baseAddress!, items: n, chunks: chunks, rowsPerLevel: rowsPerLevel)
                        let root = context.scratch
                        for c in 0..<chunks { root[c] = SIMD8(repeating: 1) }
                        context.solve(0, n, level: 0, count: 0)
                    }
                }
            }
        }
        return out
    }

    /// Raw pointers for the recursion; `scratch` holds one distribution per recursion level.
    private struct Context {
        let table: UnsafePointer<SIMD8<Double>>
        let weights: UnsafePointer<SIMD8<Double>>
        let scratch: UnsafeMutablePointer<SIMD8<Double>>
        let out: UnsafeMutablePointer<Double>
        let items: Int
        let chunks: Int
        let rowsPerLevel: Int

        /// Items `lo..<hi`, given at `level` the distribution of the `count` items outside them.
        func solve(_ lo: Int, _ hi: Int, level: Int, count: Int) {
            let dist = scratch + level * rowsPerLevel
            if hi - lo == 1 {
                finish(lo, dist)
                return
            }
            let mid = (lo + hi) / 2
            let child = scratch + (level + 1) * rowsPerLevel
            for (range, other) in [(lo..<mid, mid..<hi), (mid..<hi, lo..<mid)] {
                child.update(from: dist, count: (count + 1) * chunks)
                var total = count
                for t in other {
                    add(t, to: child, count: total)
                    total += 1
                }
                solve(range.lowerBound, range.upperBound, level: level + 1, count: total)
            }
        }

        /// Lord–Wingersky step: `d ← d ⊗ item t`, the distribution having scores `0…count` (row `count + 1` is
        /// written, never read).
        @inline(__always)
        private func add(_ t: Int, to d: UnsafeMutablePointer<SIMD8<Double>>, count: Int) {
            let q = table + 2 * t * chunks
            let p = q + chunks
            let top = d + (count + 1) * chunks
            for c in 0..<chunks { top[c] = top[c - chunks] * p[c] }
            var k = count
            while k >= 1 {
                let row = d + k * chunks
                let below = row - chunks
                for c in 0..<chunks { row[c] = row[c] * q[c] + below[c] * p[c] }
                k -= 1
            }
            for c in 0..<chunks { d[c] *= q[c] }
        }

        /// Expected proportions of item `s` from the distribution `d` of the other `n − 1` items.
        private func finish(_ s: Int, _ d: UnsafeMutablePointer<SIMD8<Double>>) {
            let q = table + 2 * s * chunks
            let p = q + chunks
            for k in 1..<items {
                var numerator = SIMD8<Double>.zero
                var denominator = SIMD8<Double>.zero
                for c in 0..<chunks {
                    let right = weights[c] * p[c] * d[(k - 1) * chunks + c]
                    numerator += right
                    denominator += right + weights[c] * q[c] * d[k * chunks + c]
                }
                let total = denominator.sum()
                out[s * (items + 1) + k] = total > 0 ? numerator.sum() / total : 0
            }
        }
    }
}
