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

    /// Per-item sums of one block of learners, flat: `moments[j]` = (Σ z², Σ C/W², Σ (u − P)², Σ W, Σ (C − W²)),
    /// `rest[j]` = (n, Σu, Σr, Σu², Σr², Σur) for the item–rest correlation, `bins[j · groups + g]` =
    /// (responses, correct, Σθ) per θ group.
    private struct Sums {
        var moments: [SIMD8<Double>]
        var rest: [SIMD8<Double>]
        var bins: [SIMD4<Double>]

        init(items: Int) {
            moments = Array(repeating: .zero, count: items)
            rest = Array(repeating: .zero, count: items)
            bins = Array(repeating: .zero, count: items * groups)
        }
    }

    static let groups = ThetaGroup.edges.count + 1

    /// Learners in at most 16 fixed blocks, in parallel, each block into its own sums, combined in block order
    /// (results do not depend on the thread count).
    static func compute(_ data: ResponseMatrix, items: [ItemParameters], thetas: [Double], threads: Int = 1)
        -> Output
    {
        let n = data.itemCount
        let blockSize = max(1024, (data.learnerCount + 15) / 16)
        let blocks = (data.learnerCount + blockSize - 1) / blockSize
        var partial = [Sums?](repeating: nil, count: blocks)
        data.codes.withUnsafeBufferPointer { codes in
            data.rowStart.withUnsafeBufferPointer { rowStart in
                items.withUnsafeBufferPointer { items in
                    thetas.withUnsafeBufferPointer { thetas in
                        partial.withUnsafeMutableBufferPointer { slots in
                            // Non-nil: fit runs after a calibration, which refuses an empty matrix, so there is
                            // ≥ 1 learner (≥ 1 block) and ≥ 1 item (moments, rest and bins below are non-empty).
                            let out = slots.baseAddress!
                            Parallel.run(blocks: blocks, workers: Parallel.workers(threads: threads, blocks: blocks)) {
                                _, block in
                                var sums = Sums(items: n)
                                sums.moments.withUnsafeMutableBufferPointer { moments in
                                    sums.rest.withUnsafeMutableBufferPointer { rest in
                                        sums.bins.withUnsafeMutableBufferPointer { bins in
                                            let end = min((block + 1) * blockSize, data.learnerCount)
                                            for l in block * blockSize..<end {
                                                accumulate(
                                                    codes[rowStart[l]..<rowStart[l + 1]], theta: thetas[l],
                                                    items: items, moments: moments.baseAddress!,
                                                    rest: rest.baseAddress!, bins: bins.baseAddress!)
                                            }
                                        }
                                    }
                                }
                                out[block] = sums
                            }
                        }
                    }
                }
            }
        }
        var total = Sums(items: n)
        for block in partial {
            guard let block else { continue }
            for j in 0..<n {
                total.moments[j] += block.moments[j]
                total.rest[j] += block.rest[j]
            }
            for k in 0..<n * groups { total.bins[k] += block.bins[k] }
        }
        var out = Output(
            infit: Array(repeating: nil, count: n), outfit: Array(repeating: nil, count: n),
            infitT: Array(repeating: nil, count: n), outfitT: Array(repeating: nil, count: n),
            itemRest: Array(repeating: nil, count: n), groups: Array(repeating: [], count: n))
        for j in 0..<n {
            let count = Double(data.responseCount(ofItem: j))
            guard count > 0 else { continue }
            let m = total.moments[j]
            let outfit = m[0] / count
            let infit = m[2] / m[3]
            out.outfit[j] = outfit
            out.infit[j] = infit
            out.outfitT[j] = standardized(outfit, variance: m[1] / (count * count) - 1 / count)
            out.infitT[j] = standardized(infit, variance: m[4] / (m[3] * m[3]))
            out.itemRest[j] = correlation(total.rest[j])
            out.groups[j] = total.bins[j * groups..<(j + 1) * groups].filter { $0[0] > 0 }.map {
                ThetaGroup(meanTheta: $0[2] / $0[0], responses: Int($0[0]), correct: Int($0[1]))
            }
        }
        return out
    }

    /// Adds one learner's responses (`codes`) at ability `theta`.
    @inline(__always)
    private static func accumulate(
        _ codes: Slice<UnsafeBufferPointer<Int32>>, theta: Double, items: UnsafeBufferPointer<ItemParameters>,
        moments: UnsafeMutablePointer<SIMD8<Double>>, rest: UnsafeMutablePointer<SIMD8<Double>>,
        bins: UnsafeMutablePointer<SIMD4<Double>>
    ) {
        if codes.isEmpty { return }
        let group = ThetaGroup.index(theta)
        var total = 0
        for code in codes { total += Int(code & 1) }
        let others = Double(codes.count - 1)
        for code in codes {
            let j = Int(code >> 1)
            let correct = code & 1 == 1
            let item = items[j]
            let (logistic, complement) = Logistic.split(item.a * (theta - item.b))
            let p = item.c + (1 - item.c) * logistic
            let q = (1 - item.c) * complement
            let w = p * q
            let inverse = 1 / w
            let cube = p * p * p + q * q * q
            let squared = correct ? q * q : p * p
            moments[j] += SIMD8(squared * inverse, cube * inverse, squared, w, w * cube - w * w, 0, 0, 0)
            bins[j * groups + group] += SIMD4(1, correct ? 1 : 0, theta, 0)
            if others > 0 {
                let u = correct ? 1.0 : 0.0
                let restScore = Double(total - Int(code & 1)) / others
                rest[j] += SIMD8(1, u, restScore, u * u, restScore * restScore, u * restScore, 0, 0)
            }
        }
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
