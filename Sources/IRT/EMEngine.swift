import Glibc

/// Item parameters of every item and the latent distribution: the point EM moves.
struct ModelState {
    var items: [ItemParameters]
    var latentMean = 0.0
    var latentSD = 1.0
}

/// One calibration's EM machinery: the map from parameters to the next EM iterate, and the packing of the free
/// parameters into the flat vector that SQUAREM extrapolates.
///
/// Vector layout: 1PL `[a, b_j…]` (the shared `a` once), 2PL `[a_j, b_j]…`, 3PL `[a_j, b_j, c_j]…` over free
/// items in index order, then `[mean, sd]` when anchored. Unpacking clamps into `Bounds`.
struct EMEngine {
    let data: ResponseMatrix
    let model: IRTModel
    let grid: Quadrature
    let priors: CalibrationOptions.Priors
    let anchors: [Int: ItemParameters]
    /// Indices of the items that are estimated, ascending.
    let freeItems: [Int]
    let threads: Int

    var anchored: Bool { !anchors.isEmpty }

    /// The latent mean is kept within the middle half of the grid, `[−range/2, range/2]`.
    var latentMeanRange: ClosedRange<Double> { grid.first / 2...(-grid.first / 2) }

    /// Starting values: `a = 1`, `b` from the item's proportion correct (`b ≈ −1.16 logit p`, the 2PL relation for
    /// `a = 1` under N(0, 1)), `c` at the prior's mode; latent N(0, 1).
    func initialState() -> ModelState {
        let a1 = priors.guessingAlpha - 1
        let b1 = priors.guessingBeta - 1
        let c0 = model == .threePL ? Bounds.clamp(a1 + b1 > 0 ? a1 / (a1 + b1) : 0.2, Bounds.c) : 0
        var items = [ItemParameters](repeating: ItemParameters(a: 1, b: 0, c: 0), count: data.itemCount)
        for j in 0..<data.itemCount {
            if let anchor = anchors[j] {
                items[j] = anchor
                continue
            }
            let p = (Double(data.correctCount(ofItem: j)) + 0.5) / (Double(data.responseCount(ofItem: j)) + 1)
            let adjusted = min(max((p - c0) / (1 - c0), 0.02), 0.98)
            items[j] = ItemParameters(a: 1, b: Bounds.clamp(-1.16 * log(adjusted / (1 - adjusted)), -4...4), c: c0)
        }
        return ModelState(items: items)
    }

    func pack(_ state: ModelState) -> [Double] {
        var x: [Double] = []
        x.reserveCapacity(freeItems.count * 3 + 3)
        switch model {
        case .onePL:
            if let first = freeItems.first { x.append(state.items[first].a) }
            for j in freeItems { x.append(state.items[j].b) }
        case .twoPL:
            for j in freeItems { x += [state.items[j].a, state.items[j].b] }
        case .threePL:
            for j in freeItems { x += [state.items[j].a, state.items[j].b, state.items[j].c] }
        }
        if anchored { x += [state.latentMean, state.latentSD] }
        return x
    }

    /// The state behind `x`, clamped into the bounds.
    func unpack(_ x: [Double], like template: ModelState) -> ModelState {
        var state = template
        var i = 0
        func next(_ range: ClosedRange<Double>) -> Double {
            defer { i += 1 }
            return Bounds.clamp(x[i], range)
        }
        switch model {
        case .onePL:
            let a = freeItems.isEmpty ? 1 : next(Bounds.a)
            for j in freeItems { state.items[j] = ItemParameters(a: a, b: next(Bounds.b)) }
        case .twoPL:
            for j in freeItems { state.items[j] = ItemParameters(a: next(Bounds.a), b: next(Bounds.b)) }
        case .threePL:
            for j in freeItems {
                state.items[j] = ItemParameters(a: next(Bounds.a), b: next(Bounds.b), c: next(Bounds.c))
            }
        }
        if anchored {
            state.latentMean = next(latentMeanRange)
            state.latentSD = next(Bounds.latentSD)
        }
        return state
    }

    /// Runs the E-step at `state`; returns it with the penalised objective (marginal log-likelihood plus the log
    /// priors of the free parameters), which EM never decreases and SQUAREM checks.
    func expectation(_ state: ModelState) -> (expectation: Expectation, objective: Double) {
        let table = ResponseCurves.logTable(state.items, grid: grid)
        let prior = grid.logPriorWeights(mean: state.latentMean, sd: state.latentSD)
        let e = ExpectationStep.run(data, logTable: table, logPrior: prior, grid: grid, threads: threads)
        var objective = e.logLikelihood
        if model == .onePL, let first = freeItems.first { objective += priors.slope(state.items[first].a).value }
        for j in freeItems {
            let item = state.items[j]
            if model != .onePL { objective += priors.slope(item.a).value }
            objective += priors.difficulty(item.b).value
            if model == .threePL { objective += priors.guessing(item.c).value }
        }
        return (e, objective)
    }

    /// The M-step from `state` given the E-step run there: free items by Newton–Raphson (in parallel, each item
    /// into its own slot), then, when anchored, the latent mean and SD from the posterior moments
    /// (`LatentScale`).
    func maximization(_ state: ModelState, _ e: Expectation) -> ModelState {
        var next = state
        let chunks = grid.chunks
        e.counts.withUnsafeBufferPointer { counts in
            // Non-nil: `counts` holds `2 · itemCount · chunks ≥ 2` elements (`Calibrator.validate` refused an empty
            // matrix, so `itemCount ≥ 1`; `Quadrature` has `chunks ≥ 1`).
            let base = counts.baseAddress!
            func likelihood(_ j: Int) -> ItemLikelihood {
                ItemLikelihood(
                    incorrect: base + 2 * j * chunks, correct: base + (2 * j + 1) * chunks, grid: grid,
                    dimensions: model.itemDimensions)
            }
            if model == .onePL {
                guard let first = freeItems.first else { return }
                let maximizer = CommonSlopeMaximizer(likelihoods: freeItems.map(likelihood), priors: priors)
                let (a, b) = maximizer.maximize(a: state.items[first].a, b: freeItems.map { state.items[$0].b })
                for (k, j) in freeItems.enumerated() { next.items[j] = ItemParameters(a: a, b: b[k]) }
                return
            }
            let perBlock = 8
            let blocks = (freeItems.count + perBlock - 1) / perBlock
            next.items.withUnsafeMutableBufferPointer { output in
                // Non-nil: `next.items` holds `itemCount ≥ 1` items (`Calibrator.validate` refused an empty matrix).
                let out = output.baseAddress!
                Parallel.run(blocks: blocks, workers: Parallel.workers(threads: threads, blocks: blocks)) { _, block in
                    for k in block * perBlock..<min((block + 1) * perBlock, freeItems.count) {
                        let j = freeItems[k]
                        let maximizer = ItemMaximizer(likelihood: likelihood(j), priors: priors)
                        out[j] = maximizer.maximize(from: state.items[j])
                    }
                }
            }
        }
        if anchored && e.activeLearners > 0 {
            let n = Double(e.activeLearners)
            (next.latentMean, next.latentSD) = LatentScale.maximize(
                firstMoment: e.thetaSum / n, secondMoment: e.thetaSquareSum / n, grid: grid,
                meanRange: latentMeanRange)
        }
        return next
    }
}
