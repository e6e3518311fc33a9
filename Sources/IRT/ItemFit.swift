/// How well one calibrated item behaves as the model says.
public struct ItemFit: Sendable, Hashable {
    /// Responses to the item.
    public var responseCount: Int
    /// Infit mean square (information-weighted), `Σ (u − P)² / Σ P(1 − P)`; `nil` without responses.
    public var infit: Double?
    /// Outfit mean square (unweighted), `mean (u − P)² / (P(1 − P))`; `nil` without responses.
    public var outfit: Double?
    /// Infit standardised by the Wilson–Hilferty cube-root transformation; `nil` when its variance is not positive.
    public var infitT: Double?
    /// Outfit standardised likewise.
    public var outfitT: Double?
    /// Pearson correlation of the item's responses with each learner's proportion correct on the other items they
    /// answered (the raw rest score's correlation on complete data); `nil` when it is undefined.
    public var itemRestCorrelation: Double?
    /// Orlando–Thissen S-X², or why it was not computed.
    public var summedScoreFit: SummedScoreFit
    /// Every rule the item breaks, each with its reason; empty for an item that fits.
    public var flags: [FitFlag]
    /// Observed responses by ability group (`ThetaGroup.edges`), non-empty groups only, for plots.
    public var groups: [ThetaGroup] = []

    public init(
        responseCount: Int, infit: Double?, outfit: Double?, infitT: Double?, outfitT: Double?,
        itemRestCorrelation: Double?, summedScoreFit: SummedScoreFit, flags: [FitFlag]
    ) {
        self.responseCount = responseCount
        self.infit = infit
        self.outfit = outfit
        self.infitT = infitT
        self.outfitT = outfitT
        self.itemRestCorrelation = itemRestCorrelation
        self.summedScoreFit = summedScoreFit
        self.flags = flags
    }

    /// Whether any rule flags the item.
    public var isFlagged: Bool { !flags.isEmpty }
}

/// S-X² of one item, or the reason it is missing.
public enum SummedScoreFit: Sendable, Hashable {
    case computed(SX2)
    case notComputed(reason: String)

    /// The statistic when computed.
    public var value: SX2? {
        if case .computed(let value) = self { return value }
        return nil
    }

    /// Why it is missing, when it is.
    public var reason: String? {
        if case .notComputed(let reason) = self { return reason }
        return nil
    }
}

/// Orlando & Thissen's (2000) summed-score item fit statistic.
public struct SX2: Sendable, Hashable {
    /// `Σ_groups Σ_{u=0,1} (O − E)² / E` over the collapsed score groups.
    public var statistic: Double
    /// Collapsed score groups minus the item's estimated parameters.
    public var degreesOfFreedom: Int
    /// Upper χ² tail of `statistic`.
    public var p: Double
    /// `p` adjusted by Benjamini–Hochberg over the items with an S-X².
    public var adjustedP: Double

    public init(statistic: Double, degreesOfFreedom: Int, p: Double, adjustedP: Double) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.p = p
        self.adjustedP = adjustedP
    }
}

/// One broken fit rule and a sentence saying how.
public struct FitFlag: Sendable, Hashable {
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// BH-adjusted S-X² p below the significance level.
        case summedScoreFit = "s_x2"
        /// Infit mean square outside the band.
        case infit
        /// Outfit mean square outside the band.
        case outfit
        /// Discrimination below the minimum.
        case lowDiscrimination = "low_discrimination"
        /// Negative item–rest correlation, the mark of a miskeyed item.
        case negativeItemRest = "negative_item_rest"
    }

    public var rule: Rule
    /// E.g. `outfit 1.52 outside 0.7–1.3 (5000 responses)`.
    public var reason: String

    public init(rule: Rule, reason: String) {
        self.rule = rule
        self.reason = reason
    }
}

/// The responses to one item from learners whose ability estimate falls in one group.
public struct ThetaGroup: Sendable, Hashable {
    /// Group boundaries: `(−∞, −2.5)`, `[−2.5, −2)`, …, `[2, 2.5)`, `[2.5, ∞)`, twelve groups.
    public static let edges: [Double] = stride(from: -2.5, through: 2.5, by: 0.5).map { $0 }

    /// Mean ability estimate of the group's responses.
    public var meanTheta: Double
    public var responses: Int
    public var correct: Int

    public init(meanTheta: Double, responses: Int, correct: Int) {
        self.meanTheta = meanTheta
        self.responses = responses
        self.correct = correct
    }

    /// The group index of `theta`.
    static func index(_ theta: Double) -> Int {
        var k = 0
        while k < edges.count && theta >= edges[k] { k += 1 }
        return k
    }
}
