/// Settings of one calibration. The defaults are the documented production settings.
public struct CalibrationOptions: Sendable {
    /// The model fitted to the free items.
    public var model: IRTModel = .twoPL
    /// Number of equally spaced quadrature nodes (at least 5).
    public var quadraturePoints = 61
    /// The nodes span `[−quadratureRange, quadratureRange]`.
    public var quadratureRange = 6.0
    /// Convergence: the largest change of any estimated parameter (item parameters, and the latent mean and SD
    /// when anchored) over one EM step falls below this.
    public var tolerance = 1e-4
    /// Cap on EM steps (each E-step followed by an M-step counts as one; SQUAREM extrapolations are not counted).
    public var maxIterations = 500
    /// Items calibrated elsewhere, by item index, whose parameters stay exactly fixed (any model's parameters,
    /// `0 < a ≤ 100`, `|b| ≤ 100`, `0 ≤ c < 1`). With anchors the latent mean and SD are estimated, so that free
    /// items and learners land on the anchors' scale; they are kept within `[−range/2, range/2]` and `[0.05, 5]`,
    /// and the grid should cover the anchors' scale (widen `quadratureRange` for unusual scales).
    public var anchors: [Int: ItemParameters] = [:]
    /// Worker threads for the E-step and M-step; `nil` uses every online processor. Results are bit-identical for
    /// every thread count.
    public var threads: Int?
    /// Weak priors that keep every estimate finite (see `Priors`).
    public var priors = Priors()
    /// Whether EM steps are accelerated with SQUAREM (Varadhan & Roland 2008). The fixed point is the same.
    public var accelerate = true
    /// How `CalibrationResult.abilities` are scored, under the final latent distribution.
    public var scoring = Scoring.eap
    /// Asked before every EM step and before scoring; once it answers true the calibration throws
    /// `IRTError.stopped`. Lets a caller cancel a long calibration without this module knowing why.
    public var shouldStop: (@Sendable () -> Bool)?
    /// Told the number of EM steps done after each one, for progress reports.
    public var onIteration: (@Sendable (Int) -> Void)?

    public init(model: IRTModel = .twoPL) {
        self.model = model
    }

    /// Ability estimators for the calibrated learners (see `AbilityScorer`).
    public enum Scoring: String, Sendable, CaseIterable {
        /// Posterior mean over the grid, `se` the posterior SD.
        case eap = "EAP"
        /// Posterior mode, `se = 1 / √(test information + 1/latentSD²)`.
        case map = "MAP"
    }

    /// Priors on the free item parameters; estimates are posterior modes (MAP within EM), the marginal likelihood
    /// reported in `CalibrationResult` excludes them.
    ///
    /// - `ln a ~ N(logSlopeMean, logSlopeSD²)`, default `N(0, 1)`: negligible at hundreds of responses per item;
    ///   keeps `a` finite for separable items (every learner above some ability correct, every one below wrong).
    /// - `b ~ N(0, difficultySD²)`, default `N(0, 4²)`: keeps `b` finite for items everyone (or no one) answered
    ///   correctly.
    /// - 3PL only: `c ~ Beta(guessingAlpha, guessingBeta)`, default `Beta(5, 17)` (mode 0.2, mean 0.23; the
    ///   BILOG-MG default for five-option items, worth 20 pseudo-responses).
    ///
    /// Hard bounds back the priors up: `a ∈ [0.05, 8]`, `b ∈ [−10, 10]`, `c ∈ [0.0001, 0.5]`.
    public struct Priors: Sendable, Hashable {
        public var logSlopeMean = 0.0
        public var logSlopeSD = 1.0
        public var difficultySD = 4.0
        public var guessingAlpha = 5.0
        public var guessingBeta = 17.0

        public init() {}
    }
}

/// The hard box every free item parameter is kept in, and the latent scale's box when anchored.
enum Bounds {
    static let a: ClosedRange<Double> = 0.05...8
    static let b: ClosedRange<Double> = -10...10
    static let c: ClosedRange<Double> = 0.0001...0.5
    static let latentSD: ClosedRange<Double> = 0.05...5

    @inline(__always)
    static func clamp(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        min(max(x, range.lowerBound), range.upperBound)
    }
}
