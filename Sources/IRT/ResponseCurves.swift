import Glibc

/// Response probabilities of items over the quadrature grid.
///
/// A table has two rows of `grid.chunks` vectors per item, indexed like response codes: row `2j` holds
/// `1 − P_j(θ_q)` (incorrect), row `2j + 1` holds `P_j(θ_q)` (correct). The same row kernel serves calibration
/// and `AbilityScorer`, so both see identical numbers.
enum ResponseCurves {
    /// Probabilities are kept at or above 2^−900 (about 1e−271), so that no likelihood is ever exactly zero, no
    /// log is −∞, and `Posterior.multiply` can keep its running product normal.
    static let floor = 0x1p-900

    /// Fills `rows[0..<chunks]` with `1 − P` and `rows[chunks..<2·chunks]` with `P` for `item`.
    ///
    /// `exp(−a(θ − b))` is evaluated directly for the first eight nodes and continued geometrically
    /// (`× exp(−8aΔ)` per chunk), which is exact up to a few ulps and keeps one pattern's scoring far below a
    /// microsecond per response. Where the exponent could overflow (`a·|θ − b|` > 600 somewhere on the grid) every
    /// node is evaluated directly with the exponent clamped to ±700 instead.
    @inline(__always)
    static func fill(_ item: ItemParameters, grid: Quadrature, rows: UnsafeMutablePointer<SIMD8<Double>>) {
        let a = item.a
        let b = item.b
        let c = item.c
        let chunks = grid.chunks
        let span = max(abs(grid.first - b), abs(grid.last - b))
        if a * span <= 600 {
            var e = SIMD8<Double>.zero
            for i in 0..<8 { e[i] = exp(-a * (grid.nodes[0][i] - b)) }
            let ratio = exp(-8 * a * grid.step)
            for k in 0..<chunks {
                store(e, c: c, incorrect: rows + k, correct: rows + chunks + k)
                e *= ratio
            }
        } else {
            for k in 0..<chunks {
                var e = SIMD8<Double>.zero
                for i in 0..<8 { e[i] = exp(min(max(-a * (grid.nodes[k][i] - b), -700), 700)) }
                store(e, c: c, incorrect: rows + k, correct: rows + chunks + k)
            }
        }
    }

    /// From `e = exp(−z)`: `L = 1/(1 + e)`, `1 − L = e·L`, `P = c + (1 − c)L`, `1 − P = (1 − c)(1 − L)`.
    @inline(__always)
    private static func store(
        _ e: SIMD8<Double>, c: Double, incorrect: UnsafeMutablePointer<SIMD8<Double>>,
        correct: UnsafeMutablePointer<SIMD8<Double>>
    ) {
        let low = SIMD8<Double>(repeating: floor)
        let l = 1 / (1 + e)
        var p = l
        var q = e * l
        if c != 0 {
            p = c + (1 - c) * l
            q = (1 - c) * q
        }
        correct.pointee = p.replacing(with: low, where: p .< low)
        incorrect.pointee = q.replacing(with: low, where: q .< low)
    }

    /// The probability table of all `items`.
    static func table(_ items: [ItemParameters], grid: Quadrature) -> [SIMD8<Double>] {
        let width = 2 * grid.chunks
        return [SIMD8<Double>](unsafeUninitializedCapacity: items.count * width) { buffer, initialized in
            // Non-nil: the capacity is `2 · items · chunks ≥ 2`; the callers (`EMEngine.expectation`, `FinalPass`) pass
            // the calibration's `itemCount ≥ 1` items (`Calibrator.validate` refused an empty matrix).
            let base = buffer.baseAddress!
            for (j, item) in items.enumerated() {
                (base + j * width).initialize(repeating: .zero, count: width)
                fill(item, grid: grid, rows: base + j * width)
            }
            initialized = items.count * width
        }
    }

    /// `log` of `table(items, grid:)`, the E-step's input (finite everywhere thanks to `floor`).
    static func logTable(_ items: [ItemParameters], grid: Quadrature) -> [SIMD8<Double>] {
        var table = table(items, grid: grid)
        for k in table.indices {
            var row = table[k]
            for i in 0..<8 { row[i] = log(row[i]) }
            table[k] = row
        }
        return table
    }
}
