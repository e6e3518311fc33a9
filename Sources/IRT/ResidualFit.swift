import Glibc

/// Infit and outfit mean squares with their Wilson–Hilferty standardised forms, and item–rest correlations, over
/// the responses each learner actually gave (so they work on sparse data).
///
/// For a response `u` with model probability `P` (and `Q = 1 − P`) at the learner's ability estimate: variance
/// `W = PQ`, squared standardised residual `z² = (u − P)² / W`, fourth central moment `C = PQ(P³ + Q³)`. Over the
/// item's `N` responses (Wright & Masters 1982):
/// - outfit `u = Σ z² / N`, with `q_u² = Σ (C / W²) / N² − 1 / N`;
/// - infit `v = Σ (u − P)² / Σ W`, with `q_v² = Σ (C − W²) / (Σ W)²`;
/// - standardised `t = (MS^{1/3} − 1)(3 / q) + q / 3`.
/// `P` and `Q` are each computed directly (`Logistic.split`), so that `z² = Q/P` or `P/Q` keeps its precision for
/// surprising responses far in the tails.
enum ResidualFit {
    struct Output {
        var infit: [Double?]
        var outfit: [Double?]
        var infitT: [Double?]
        var outfitT: [Double?]
        var itemRest: [Double?]
        var groups: [[ThetaGroup]]
    }

    static func compute(_ data: ResponseMatrix, items: [ItemParameters], thetas: [Double]) -> Output {
        let n = data.itemCount
        var squares = [Double](repeating: 0, count: n)  // Σ z²
        var kurtosisOverW2 = [Double](repeating: 0, count: n)  // Σ C / W²
        var residuals = [Double](repeating: 0, count: n)  // Σ (u − P)²
        var variances = [Double](repeating: 0, count: n)  // Σ W
        var excess = [Double](repeating: 0, count: n)  // Σ (C − W²)
        var rest = [SIMD8<Double>](repeating: .zero, count: n)  // count, Σu, Σr, Σu², Σr², Σur
        let groupCount = ThetaGroup.edges.count + 1
        var bins = [SIMD4<Double>](repeating: .zero, count: n * groupCount)  // responses, correct, Σθ
        for l in 0..<data.learnerCount {
            let start = data.rowStart[l]
            let end = data.rowStart[l + 1]
            if start == end { continue }
            let theta = thetas[l]
            let group = ThetaGroup.index(theta)
            var total = 0
            for r in start..<end { total += Int(data.codes[r] & 1) }
            for r in start..<end {
                let code = data.codes[r]
                let j = Int(code >> 1)
                let correct = code & 1 == 1
                let item = items[j]
                let (logistic, complement) = Logistic.split(item.a * (theta - item.b))
                let p = item.c + (1 - item.c) * logistic
                let q = (1 - item.c) * complement
                let w = p * q
                let cube = p * p * p + q * q * q
                squares[j] += correct ? q / p : p / q
                kurtosisOverW2[j] += cube / w
                residuals[j] += correct ? q * q : p * p
                variances[j] += w
                excess[j] += w * cube - w * w
                bins[j * groupCount + group] += SIMD4(1, correct ? 1 : 0, theta, 0)
                if end - start > 1 {
                    let u = correct ? 1.0 : 0.0
                    let restScore = Double(total - Int(code & 1)) / Double(end - start - 1)
                    rest[j] += SIMD8(1, u, restScore, u * u, restScore * restScore, u * restScore, 0, 0)
                }
            }
        }
        var out = Output(
            infit: Array(repeating: nil, count: n), outfit: Array(repeating: nil, count: n),
            infitT: Array(repeating: nil, count: n), outfitT: Array(repeating: nil, count: n),
            itemRest: Array(repeating: nil, count: n), groups: Array(repeating: [], count: n))
        for j in 0..<n {
            let count = Double(data.responseCount(ofItem: j))
            guard count > 0 else { continue }
            let outfit = squares[j] / count
            let infit = residuals[j] / variances[j]
            out.outfit[j] = outfit
            out.infit[j] = infit
            out.outfitT[j] = standardized(outfit, variance: kurtosisOverW2[j] / (count * count) - 1 / count)
            out.infitT[j] = standardized(infit, variance: excess[j] / (variances[j] * variances[j]))
            out.itemRest[j] = correlation(rest[j])
            out.groups[j] = bins[j * groupCount..<(j + 1) * groupCount].filter { $0[0] > 0 }.map {
                ThetaGroup(meanTheta: $0[2] / $0[0], responses: Int($0[0]), correct: Int($0[1]))
            }
        }
        return out
    }

    /// Wilson–Hilferty: `(MS^{1/3} − 1)(3 / q) + q / 3` with `q² = variance`; `nil` unless both are usable.
    static func standardized(_ meanSquare: Double, variance: Double) -> Double? {
        guard variance > 0, variance.isFinite, meanSquare.isFinite else { return nil }
        let q = variance.squareRoot()
        return (cbrt(meanSquare) - 1) * (3 / q) + q / 3
    }

    /// Pearson correlation from `(n, Σx, Σy, Σx², Σy², Σxy)`.
    private static func correlation(_ s: SIMD8<Double>) -> Double? {
        let n = s[0]
        guard n >= 2 else { return nil }
        let sxx = s[3] - s[1] * s[1] / n
        let syy = s[4] - s[2] * s[2] / n
        let sxy = s[5] - s[1] * s[2] / n
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
