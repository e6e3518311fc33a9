import Glibc

/// Marginal maximum likelihood calibration by EM (Bock–Aitkin) on a fixed quadrature grid.
///
/// - Latent ability N(0, 1) on `quadraturePoints` equally spaced nodes over `±quadratureRange`; with anchors,
///   N(μ, σ²) whose μ and σ are re-estimated every EM step from the learners' posterior moments, so that free
///   items and learners land on the anchors' scale (fixed-parameter calibration). Anchors never move.
/// - E-step: `ExpectationStep` (parallel over learners, exact integer aggregation by item).
/// - M-step: per item Newton–Raphson with step halving (`ItemMaximizer`), jointly for the 1PL's shared `a`
///   (`CommonSlopeMaximizer`), under the weak priors and bounds of `CalibrationOptions.Priors`.
/// - Acceleration: SQUAREM (Varadhan & Roland 2008, scheme S3) with an adaptive step bound, accepting an
///   extrapolated point only when the penalised marginal likelihood did not decrease, else falling back to the
///   plain EM iterate. Each EM step counts as one iteration; extrapolations do not.
/// - Convergence: the largest change of any estimated parameter over one EM step below `tolerance`.
/// - Afterwards `FinalPass` gives EAP abilities with posterior SDs, the marginal log-likelihood, and the sums for
///   `StandardErrors` (observed information by Louis' identity, inverted per item block); MAP abilities on
///   request.
///
/// Results are bit-identical for every thread count.
public enum Calibrator {
    public static func calibrate(_ data: ResponseMatrix, options: CalibrationOptions) throws(IRTError)
        -> CalibrationResult
    {
        try validate(data, options)
        let freeItems = (0..<data.itemCount).filter { options.anchors[$0] == nil }
        let engine = EMEngine(
            data: data, model: options.model,
            grid: Quadrature(points: options.quadraturePoints, range: options.quadratureRange),
            priors: options.priors, anchors: options.anchors, freeItems: freeItems,
            threads: max(1, options.threads ?? Parallel.processorCount))
        let (state, iterations, converged) = try iterate(engine, options: options)
        if options.shouldStop?() == true { throw .stopped }

        var isFree = [Bool](repeating: false, count: data.itemCount)
        for j in freeItems { isFree[j] = true }
        let pass = FinalPass(
            data: data, state: state, grid: engine.grid, model: options.model, isFree: isFree,
            threads: engine.threads
        ).run()
        let se = StandardErrors.compute(
            state: state, pass: pass, model: options.model, freeItems: freeItems, grid: engine.grid,
            priors: options.priors)
        var abilities = pass.abilities
        if options.scoring == .map {
            if options.shouldStop?() == true { throw .stopped }
            abilities = modes(data, state: state, start: abilities, options)
        }
        let items = (0..<data.itemCount).map { j in
            ItemEstimate(
                parameters: state.items[j], se: se[j], isAnchor: !isFree[j],
                responseCount: data.responseCount(ofItem: j))
        }
        var parameterCount = freeItems.count * (options.model == .threePL ? 3 : 2)
        if options.model == .onePL { parameterCount = freeItems.isEmpty ? 0 : freeItems.count + 1 }
        if engine.anchored { parameterCount += 2 }
        let learnersWithData = (0..<data.learnerCount).reduce(0) {
            $0 + (data.responseCount(ofLearner: $1) > 0 ? 1 : 0)
        }
        let k = Double(parameterCount)
        return CalibrationResult(
            items: items, abilities: abilities, iterations: iterations, converged: converged,
            logLikelihood: pass.logLikelihood, aic: -2 * pass.logLikelihood + 2 * k,
            bic: -2 * pass.logLikelihood + k * log(Double(learnersWithData)), parameterCount: parameterCount,
            latentMean: state.latentMean, latentSD: state.latentSD)
    }

    /// EM with SQUAREM from the engine's starting values; returns the final state, EM steps and convergence. Throws
    /// `IRTError.stopped` when `options.shouldStop` says so before a step.
    static func iterate(_ engine: EMEngine, options: CalibrationOptions) throws(IRTError) -> (ModelState, Int, Bool) {
        let template = engine.initialState()
        var x0 = engine.pack(template)
        var e0 = engine.expectation(template)
        var iterations = 0
        var stepBound = 1.0
        func step(_ x: [Double], _ e: Expectation) throws(IRTError) -> [Double] {
            if options.shouldStop?() == true { throw .stopped }
            iterations += 1
            defer { options.onIteration?(iterations) }
            return engine.pack(engine.maximization(engine.unpack(x, like: template), e))
        }
        func change(_ x: [Double], _ y: [Double]) -> Double {
            zip(x, y).reduce(0) { max($0, abs($1.0 - $1.1)) }
        }
        while iterations < options.maxIterations {
            let x1 = try step(x0, e0.expectation)
            if change(x1, x0) < options.tolerance { return (engine.unpack(x1, like: template), iterations, true) }
            let e1 = engine.expectation(engine.unpack(x1, like: template))
            if !options.accelerate || iterations >= options.maxIterations {
                (x0, e0) = (x1, e1)
                continue
            }
            let x2 = try step(x1, e1.expectation)
            if change(x2, x1) < options.tolerance { return (engine.unpack(x2, like: template), iterations, true) }
            var r2 = 0.0
            var v2 = 0.0
            for i in x0.indices {
                let r = x1[i] - x0[i]
                let v = x2[i] - 2 * x1[i] + x0[i]
                r2 += r * r
                v2 += v * v
            }
            var alpha = (r2 / v2).squareRoot()
            if !alpha.isFinite { alpha = 1 }
            alpha = min(max(alpha, 1), stepBound)
            let extrapolated = x0.indices.map { i in
                x0[i] + 2 * alpha * (x1[i] - x0[i]) + alpha * alpha * (x2[i] - 2 * x1[i] + x0[i])
            }
            let xp = engine.pack(engine.unpack(extrapolated, like: template))
            let ep = engine.expectation(engine.unpack(xp, like: template))
            if ep.objective.isFinite && ep.objective >= e0.objective {
                (x0, e0) = (xp, ep)
                if alpha == stepBound { stepBound *= 4 }
            } else {
                (x0, e0) = (x2, engine.expectation(engine.unpack(x2, like: template)))
                if alpha == stepBound { stepBound = max(1, stepBound / 4) }
            }
        }
        return (engine.unpack(x0, like: template), iterations, false)
    }

    /// MAP abilities of every learner under the final latent distribution, each searched from its EAP, in
    /// parallel (each learner into its own slot).
    private static func modes(
        _ data: ResponseMatrix, state: ModelState, start: [AbilityEstimate], _ options: CalibrationOptions
    ) -> [AbilityEstimate] {
        let scorer = AbilityScorer(
            quadraturePoints: options.quadraturePoints, range: options.quadratureRange, priorMean: state.latentMean,
            priorSD: state.latentSD)
        var out = start
        let blockSize = 1024
        let blocks = (data.learnerCount + blockSize - 1) / blockSize
        let threads = max(1, options.threads ?? Parallel.processorCount)
        out.withUnsafeMutableBufferPointer { buffer in
            // Non-nil: `validate` refused an empty matrix, and every response names a learner, so `learnerCount ≥ 1`.
            let out = buffer.baseAddress!
            Parallel.run(blocks: blocks, workers: Parallel.workers(threads: threads, blocks: blocks)) { _, block in
                for l in block * blockSize..<min((block + 1) * blockSize, data.learnerCount) {
                    let pattern = data.responses(ofLearner: l).map { (state.items[$0.item], $0.correct) }
                    out[l] = scorer.mode(pattern, from: start[l].theta)
                }
            }
        }
        return out
    }

    private static func validate(_ data: ResponseMatrix, _ options: CalibrationOptions) throws(IRTError) {
        guard data.responseCount > 0 else { throw IRTError("no responses to calibrate") }
        guard options.quadraturePoints >= 5, options.quadraturePoints <= 1001 else {
            throw IRTError("quadraturePoints must be between 5 and 1001, got \(options.quadraturePoints)")
        }
        guard options.quadratureRange.isFinite, options.quadratureRange >= 1, options.quadratureRange <= 20 else {
            throw IRTError("quadratureRange must be between 1 and 20, got \(options.quadratureRange)")
        }
        guard options.tolerance.isFinite, options.tolerance > 0 else {
            throw IRTError("tolerance must be positive, got \(options.tolerance)")
        }
        guard options.maxIterations >= 1 else { throw IRTError("maxIterations must be at least 1") }
        if let threads = options.threads, threads < 1 { throw IRTError("threads must be at least 1, got \(threads)") }
        try options.priors.validate()
        for (j, anchor) in options.anchors.sorted(by: { $0.key < $1.key }) {
            guard j >= 0, j < data.itemCount else {
                throw IRTError("anchor item index \(j) is outside 0..<\(data.itemCount)")
            }
            guard anchor.isUsable, anchor.a <= 100, abs(anchor.b) <= 100 else {
                throw IRTError(
                    "anchor item \(j) has unusable parameters a=\(anchor.a) b=\(anchor.b) c=\(anchor.c) "
                        + "(need 0 < a ≤ 100, |b| ≤ 100, 0 ≤ c < 1)")
            }
        }
    }
}
