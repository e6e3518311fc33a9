import Glibc

/// A way a simulated item can break the model, to check that fit statistics catch it (see `Simulation.misfits`).
public enum Misfit: String, Sendable, Hashable, CaseIterable {
    /// Miskeyed: the curve runs backwards, `c + (1 − c) / (1 + exp(+a(θ − b)))`.
    case reversed
    /// No discrimination (`a = 0`): the probability is the item's curve at θ = 0 whatever the ability.
    case flat
    /// Non-logistic: `max(c, 0.1)` below the step, 0.9 from it up, with nothing in between; the step sits at `b`
    /// kept within `[−1, 1]`, so that it falls among the learners.
    case step

    /// The probability of a correct answer at `theta` for an item drawn with `parameters`.
    public func probability(_ parameters: ItemParameters, at theta: Double) -> Double {
        switch self {
        case .reversed:
            return parameters.c + (1 - parameters.c) * Logistic.split(-parameters.a * (theta - parameters.b)).p
        case .flat:
            return parameters.probability(at: 0)
        case .step:
            return theta < min(max(parameters.b, -1), 1) ? max(parameters.c, 0.1) : 0.9
        }
    }

    /// `count` misfits spread evenly over `items` item indices, cycling through reversed, flat and step:
    /// item `⌊(m + ½) · items / count⌋` gets kind `m mod 3`.
    public static func planted(_ count: Int, among items: Int) -> [Int: Misfit] {
        guard count > 0, items > 0 else { return [:] }
        var out: [Int: Misfit] = [:]
        for m in 0..<min(count, items) {
            out[Int((Double(m) + 0.5) * Double(items) / Double(min(count, items)))] = allCases[m % allCases.count]
        }
        return out
    }
}
