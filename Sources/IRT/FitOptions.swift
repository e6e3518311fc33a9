/// Thresholds of the item-fit flags (see `FitAnalysis`). The defaults are the documented production settings.
public struct FitOptions: Sendable, Hashable {
    /// Infit and outfit mean squares outside this band flag an item (with enough responses).
    public var meanSquareBand: ClosedRange<Double> = 0.7...1.3
    /// Responses an item needs before the mean-square band applies.
    public var minimumResponsesForBand = 200
    /// Discrimination below this flags an item as too flat to be useful.
    public var minimumDiscrimination = 0.3
    /// S-X² p-values, adjusted by Benjamini–Hochberg over the items that have one, below this flag an item.
    public var significance = 0.01

    public init() {}
}
