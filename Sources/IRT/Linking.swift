/// Mean/sigma linking: places a free calibration on an anchor scale.
///
/// A scale transformation `θ* = Aθ + B` maps item parameters as `a* = a / A`, `b* = Ab + B`, `c* = c`, and
/// standard errors as `se(a*) = se(a) / A`, `se(b*) = A se(b)`, `se(θ*) = A se(θ)`. Mean/sigma (Marco 1977)
/// matches the mean and SD of the common items' difficulties: `A = SD(b_anchor) / SD(b_free)`,
/// `B = mean(b_anchor) − A · mean(b_free)`.
public enum Linking {
    /// `A` and `B` from the same items' parameters on the free and on the anchor scale (paired by position).
    ///
    /// - Throws: `IRTError` when the lists differ in length, hold fewer than two items, contain non-finite
    ///   difficulties, or either set of difficulties has zero spread.
    public static func meanSigma(free: [ItemParameters], anchor: [ItemParameters]) throws(IRTError)
        -> (A: Double, B: Double)
    {
        guard free.count == anchor.count else {
            throw IRTError("linking needs the same items on both scales (\(free.count) free, \(anchor.count) anchor)")
        }
        guard free.count >= 2 else { throw IRTError("linking needs at least two common items, got \(free.count)") }
        guard free.allSatisfy({ $0.b.isFinite }), anchor.allSatisfy({ $0.b.isFinite }) else {
            throw IRTError("linking needs finite difficulties")
        }
        let (freeMean, freeSD) = moments(free.map(\.b))
        let (anchorMean, anchorSD) = moments(anchor.map(\.b))
        guard freeSD > 0, anchorSD > 0 else {
            throw IRTError("linking needs common items with different difficulties (zero spread)")
        }
        let a = anchorSD / freeSD
        return (a, anchorMean - a * freeMean)
    }

    /// Item parameters on the new scale.
    public static func apply(_ transform: (A: Double, B: Double), to item: ItemParameters) -> ItemParameters {
        ItemParameters(a: item.a / transform.A, b: transform.A * item.b + transform.B, c: item.c)
    }

    /// An item estimate, standard errors included, on the new scale.
    public static func apply(_ transform: (A: Double, B: Double), to estimate: ItemEstimate) -> ItemEstimate {
        var out = estimate
        out.parameters = apply(transform, to: estimate.parameters)
        out.se = ItemParameters(a: estimate.se.a / transform.A, b: transform.A * estimate.se.b, c: estimate.se.c)
        return out
    }

    /// An ability estimate on the new scale.
    public static func apply(_ transform: (A: Double, B: Double), to ability: AbilityEstimate) -> AbilityEstimate {
        AbilityEstimate(theta: transform.A * ability.theta + transform.B, se: transform.A * ability.se)
    }

    /// Mean and population SD.
    private static func moments(_ values: [Double]) -> (Double, Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
