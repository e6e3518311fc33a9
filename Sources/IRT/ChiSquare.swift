import Glibc

/// The upper tail of the χ² distribution, for S-X² p-values.
///
/// `P(X > x) = Q(df/2, x/2)`, the regularised upper incomplete gamma function, evaluated by its power series below
/// `x/2 < df/2 + 1` and by its continued fraction (modified Lentz) above, the usual split that keeps both
/// converging fast; relative accuracy is about 1e-14.
public enum ChiSquare {
    /// `P(X > statistic)` for `X ~ χ²(df)`; `nil` unless `df > 0` and `statistic ≥ 0`, both finite.
    public static func survival(_ statistic: Double, degreesOfFreedom df: Double) -> Double? {
        guard df > 0, df.isFinite, statistic >= 0, statistic.isFinite else { return nil }
        return upperGamma(df / 2, statistic / 2)
    }

    /// `Q(s, x) = Γ(s, x) / Γ(s)` for `s > 0`, `x ≥ 0`.
    static func upperGamma(_ s: Double, _ x: Double) -> Double {
        if x == 0 { return 1 }
        let logPrefix = s * log(x) - x - lgamma(s)
        if x < s + 1 {
            // P(s, x) = x^s e^−x / Γ(s + 1) · Σ_n x^n / ((s + 1)…(s + n)).
            var term = 1 / s
            var sum = term
            var n = 1.0
            while n < 10_000 {
                term *= x / (s + n)
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
                n += 1
            }
            return max(0, min(1, 1 - exp(logPrefix) * sum))
        }
        // Q(s, x) = x^s e^−x / Γ(s) · 1 / (x + 1 − s − 1·(1 − s) / (x + 3 − s − 2·(2 − s) / (x + 5 − s − …))).
        let tiny = 1e-300
        var b = x + 1 - s
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        var i = 1.0
        while i < 10_000 {
            let an = -i * (i - s)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            fraction *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return max(0, min(1, exp(logPrefix) * fraction))
    }
}
