/// The estimate of one item.
public struct ItemEstimate: Sendable, Hashable {
    /// Point estimate (posterior mode under the weak priors); the given values for anchors.
    public var parameters: ItemParameters
    /// Standard errors of `a`, `b`, `c`; 0 where the parameter is fixed or not part of the model. They invert the
    /// item's own block of the observed information (Louis' identity, priors' curvature included), ignoring
    /// covariance with other items and with the latent scale; the 1PL's shared `a` and each `b` use 1 × 1 blocks.
    public var se: ItemParameters
    /// Whether the item was an anchor, kept exactly fixed.
    public var isAnchor: Bool
    /// Number of responses to the item.
    public var responseCount: Int

    public init(parameters: ItemParameters, se: ItemParameters, isAnchor: Bool, responseCount: Int) {
        self.parameters = parameters
        self.se = se
        self.isAnchor = isAnchor
        self.responseCount = responseCount
    }
}

/// An ability estimate with its standard error (posterior SD for EAP, inverse information for MAP).
public struct AbilityEstimate: Sendable, Hashable {
    public var theta: Double
    public var se: Double

    public init(theta: Double, se: Double) {
        self.theta = theta
        self.se = se
    }
}

/// Everything a calibration produces.
public struct CalibrationResult: Sendable {
    /// One estimate per item index.
    public var items: [ItemEstimate]
    /// Ability per learner index under the estimated latent N(latentMean, latentSD²): by default EAP on the
    /// quadrature grid with the posterior SD as `se` (learners without responses get the latent mean and SD), or
    /// MAP when `CalibrationOptions.scoring` says so.
    public var abilities: [AbilityEstimate]
    /// EM steps taken.
    public var iterations: Int
    /// Whether the largest parameter change fell below the tolerance before the iteration cap.
    public var converged: Bool
    /// Marginal log-likelihood at the estimates (quadrature approximation; priors excluded).
    public var logLikelihood: Double
    /// `−2 logL + 2k`.
    public var aic: Double
    /// `−2 logL + k ln N`, with N the number of learners with at least one response.
    public var bic: Double
    /// `k`: free item parameters (1PL: one per free item plus the common `a`), plus 2 for the latent mean and SD
    /// when anchored.
    public var parameterCount: Int
    /// Mean of the latent ability distribution: 0 without anchors, estimated on the anchors' scale with them.
    public var latentMean: Double
    /// SD of the latent ability distribution: 1 without anchors, estimated with them.
    public var latentSD: Double

    public init(
        items: [ItemEstimate], abilities: [AbilityEstimate], iterations: Int, converged: Bool,
        logLikelihood: Double, aic: Double, bic: Double, parameterCount: Int, latentMean: Double, latentSD: Double
    ) {
        self.items = items
        self.abilities = abilities
        self.iterations = iterations
        self.converged = converged
        self.logLikelihood = logLikelihood
        self.aic = aic
        self.bic = bic
        self.parameterCount = parameterCount
        self.latentMean = latentMean
        self.latentSD = latentSD
    }
}
