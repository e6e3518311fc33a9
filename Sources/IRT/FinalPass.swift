/// The pass over learners after EM has stopped: EAP abilities, and the sums the standard errors need.
///
/// Per learner, the posterior is formed with `Posterior` (the same kernel as `AbilityScorer`), giving the EAP
/// mean and posterior SD. From the same posterior it collects, at the final parameters:
/// - expected counts per item and node (through `CountTables`, exact and thread-count independent);
/// - per free item, `Σ_l m_l m_lᵀ` where `m_l` is learner `l`'s posterior mean of that item's complete-data score;
/// - for the 1PL, `Σ_l Var_l(S_l)` where `S_l` is the learner's complete-data score for the shared `a`.
/// Floating-point sums are kept per fixed block of learners (at most 64 blocks, so memory stays O(items)) and
/// combined in block order.
struct FinalPass {
    let data: ResponseMatrix
    let state: ModelState
    let grid: Quadrature
    let model: IRTModel
    let isFree: [Bool]
    let threads: Int

    struct Output {
        var abilities: [AbilityEstimate]
        var counts: [SIMD8<Double>]
        /// Per item: `Σ_l m_l m_lᵀ` (zero for anchors).
        var scoreCrossProducts: [Symmetric3]
        /// 1PL: `Σ_l Var_l(S_l)`; otherwise 0.
        var slopeScoreVariance: Double
        /// Marginal log-likelihood at the final parameters.
        var logLikelihood: Double
    }

    func run() -> Output {
        let chunks = grid.chunks
        let learners = data.learnerCount
        let items = data.itemCount
        let blockSize = max(1024, (learners + 63) / 64)
        let blocks = (learners + blockSize - 1) / blockSize
        let workers = Parallel.workers(threads: threads, blocks: blocks)
        let tables = CountTables(
            workers: workers, rows: 2 * items, chunks: chunks, maxItemResponses: data.maxItemResponses)
        let probabilities = Buffer(ResponseCurves.table(state.items, grid: grid))
        let scores = Buffer(scoreTable())
        let prior = Buffer(grid.priorWeights(mean: state.latentMean, sd: state.latentSD))
        let nodes = Buffer(grid.nodes)
        let scratch = Buffer([SIMD8<Double>](repeating: .zero, count: workers * 2 * chunks))
        let fixed = UnsafeMutablePointer<SIMD8<Int64>>.allocate(capacity: workers * chunks)
        fixed.initialize(repeating: .zero, count: workers * chunks)
        let cross = UnsafeMutablePointer<Symmetric3>.allocate(capacity: blocks * items)
        cross.initialize(repeating: Symmetric3(), count: blocks * items)
        let abilities = UnsafeMutablePointer<AbilityEstimate>.allocate(capacity: learners)
        abilities.initialize(repeating: AbilityEstimate(theta: 0, se: 0), count: learners)
        var partial = [SIMD2<Double>](repeating: .zero, count: blocks)
        defer {
            for buffer in [probabilities, scores, prior, nodes, scratch] { buffer.deallocate() }
            tables.deallocate()
            fixed.deallocate()
            cross.deallocate()
            abilities.deallocate()
        }
        data.codes.withUnsafeBufferPointer { codes in
            data.rowStart.withUnsafeBufferPointer { rowStart in
                partial.withUnsafeMutableBufferPointer { partial in
                    Parallel.run(blocks: blocks, workers: workers) { worker, block in
                        // Non-nil: `Calibrator.validate` refused an empty matrix, so `codes` holds ≥ 1 response.
                        let kernel = Kernel(
                            codes: codes.baseAddress!, probabilities: probabilities.base, scores: scores.base,
                            prior: prior.base, nodes: nodes.base, chunks: chunks,
                            dimensions: model.itemDimensions, onePL: model == .onePL, isFree: isFree,
                            tables: tables, acc: scratch.base + worker * 2 * chunks,
                            slopeScore: scratch.base + (worker * 2 + 1) * chunks, fixed: fixed + worker * chunks,
                            counts: tables.table(worker), cross: cross + block * items, abilities: abilities)
                        var sums = SIMD2<Double>.zero
                        for l in block * blockSize..<min((block + 1) * blockSize, learners) {
                            sums += kernel.learner(l, from: rowStart[l], to: rowStart[l + 1])
                        }
                        partial[block] = sums
                    }
                }
            }
        }
        var totals = SIMD2<Double>.zero
        for sums in partial { totals += sums }
        var crossProducts = [Symmetric3](repeating: Symmetric3(), count: items)
        for block in 0..<blocks {
            for j in 0..<items { crossProducts[j].add(cross[block * items + j]) }
        }
        return Output(
            abilities: Array(UnsafeBufferPointer(start: abilities, count: learners)),
            counts: tables.merged().map(tables.real),
            scoreCrossProducts: crossProducts, slopeScoreVariance: totals[1], logLikelihood: totals[0])
    }

    /// Complete-data scores `s_u(θ_q) = (u − P_q) g_q` per free item, response code and dimension over the grid
    /// (`g` as in `ItemLikelihood`), rows at `(code · dimensions + e) · chunks`; zero rows for anchors.
    private func scoreTable() -> [SIMD8<Double>] {
        let chunks = grid.chunks
        let d = model.itemDimensions
        var table = [SIMD8<Double>](repeating: .zero, count: data.itemCount * 2 * d * chunks)
        for j in 0..<data.itemCount where isFree[j] {
            let item = state.items[j]
            for q in 0..<grid.count {
                let theta = grid.nodes[q >> 3][q & 7]
                let (l, _) = Logistic.split(item.a * (theta - item.b))
                let p = max(item.c + (1 - item.c) * l, ResponseCurves.floor)
                let ratio = item.c == 0 ? 1 : l / p
                let g = SIMD3((theta - item.b) * ratio, -item.a * ratio, d == 3 ? 1 / ((1 - item.c) * p) : 0)
                for u in 0..<2 {
                    for e in 0..<d { table[((2 * j + u) * d + e) * chunks + (q >> 3)][q & 7] = (Double(u) - p) * g[e] }
                }
            }
        }
        return table
    }

    /// The per-learner work, over raw pointers.
    private struct Kernel {
        let codes: UnsafePointer<Int32>
        let probabilities: UnsafePointer<SIMD8<Double>>
        let scores: UnsafePointer<SIMD8<Double>>
        let prior: UnsafePointer<SIMD8<Double>>
        let nodes: UnsafePointer<SIMD8<Double>>
        let chunks: Int
        let dimensions: Int
        let onePL: Bool
        let isFree: [Bool]
        let tables: CountTables
        let acc: UnsafeMutablePointer<SIMD8<Double>>
        let slopeScore: UnsafeMutablePointer<SIMD8<Double>>
        let fixed: UnsafeMutablePointer<SIMD8<Int64>>
        let counts: UnsafeMutablePointer<SIMD8<Int64>>
        /// This block's cross-product slots, one per item.
        let cross: UnsafeMutablePointer<Symmetric3>
        let abilities: UnsafeMutablePointer<AbilityEstimate>

        /// Scores learner `l` (responses `codes[start..<end]`) and returns (log-likelihood, slope score variance).
        @inline(__always)
        func learner(_ l: Int, from start: Int, to end: Int) -> SIMD2<Double> {
            acc.update(from: prior, count: chunks)
            var exponent = 0
            for r in start..<end {
                Posterior.multiply(
                    acc, by: probabilities + Int(codes[r]) &* chunks, chunks: chunks, exponent: &exponent)
            }
            let fit = Posterior.finish(acc, nodes: nodes, chunks: chunks, exponent: exponent)
            abilities[l] = AbilityEstimate(theta: fit.mean, se: fit.sd)
            if start == end { return .zero }
            for k in 0..<chunks { fixed[k] = tables.quantize(acc[k]) }
            for r in start..<end { CountTables.add(fixed, to: counts, row: Int(codes[r]), chunks: chunks) }
            if onePL { slopeScore.update(repeating: .zero, count: chunks) }
            for r in start..<end {
                let code = Int(codes[r])
                if !isFree[code >> 1] { continue }
                let rows = scores + code &* dimensions &* chunks
                var m = SIMD3<Double>.zero
                for e in 0..<dimensions {
                    var dot = SIMD8<Double>.zero
                    for k in 0..<chunks { dot += acc[k] * rows[e * chunks + k] }
                    m[e] = dot.sum()
                }
                cross[code >> 1].addOuter(m, weight: 1)
                if onePL {
                    for k in 0..<chunks { slopeScore[k] += rows[k] }
                }
            }
            guard onePL else { return SIMD2(fit.logLikelihood, 0) }
            var first = SIMD8<Double>.zero
            var second = SIMD8<Double>.zero
            for k in 0..<chunks {
                let weighted = acc[k] * slopeScore[k]
                first += weighted
                second += weighted * slopeScore[k]
            }
            let mean = first.sum()
            return SIMD2(fit.logLikelihood, max(second.sum() - mean * mean, 0))
        }
    }
}

/// A copy of an array in memory this pass owns, so that kernels can hold plain pointers.
private struct Buffer {
    let base: UnsafeMutablePointer<SIMD8<Double>>

    init(_ values: [SIMD8<Double>]) {
        base = .allocate(capacity: max(values.count, 1))
        base.initialize(from: values, count: values.count)
    }

    func deallocate() { base.deallocate() }
}
