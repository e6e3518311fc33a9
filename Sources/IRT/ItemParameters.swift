import Glibc

/// Parameters of one item: discrimination `a`, difficulty `b`, lower asymptote `c` (0 for the 1PL and 2PL).
public struct ItemParameters: Sendable, Hashable {
    public var a: Double
    public var b: Double
    public var c: Double

    public init(a: Double, b: Double, c: Double = 0) {
        self.a = a
        self.b = b
        self.c = c
    }

    /// The probability of a correct answer at ability `theta`: `c + (1 − c) / (1 + exp(−a(θ − b)))`.
    public func probability(at theta: Double) -> Double {
        c + (1 - c) * Logistic.split(a * (theta - b)).p
    }

    /// Whether the parameters describe a usable response curve: finite, `a > 0` and `0 ≤ c < 1`.
    public var isUsable: Bool {
        a.isFinite && b.isFinite && c.isFinite && a > 0 && c >= 0 && c < 1
    }
}

/// The logistic function evaluated without overflow or cancellation.
enum Logistic {
    /// `p = 1 / (1 + e^−z)` and `q = 1 − p`, each computed directly so that neither loses precision in the tails.
    @inline(__always)
    static func split(_ z: Double) -> (p: Double, q: Double) {
        if z >= 0 {
            let e = exp(-z)
            let p = 1 / (1 + e)
            return (p, e * p)
        } else {
            let e = exp(z)
            let q = 1 / (1 + e)
            return (e * q, q)
        }
    }
}
