import Glibc

/// Simulated calibration data with known truth, from a seed.
///
/// Items: `a ~ lognormal(0, 0.3)` (for the 1PL one such `a` shared by all items), `b ~ N(0, 1)`, and for the 3PL
/// `c ~ U(0.10, 0.25)`; abilities `θ ~ N(0, 1)`. Each learner answers every item, or `perLearner` distinct items
/// drawn uniformly. Everything comes from one `SeededGenerator` in a fixed order (items, abilities, then learner by
/// learner), so a seed always gives the same data.
public struct Simulation: Sendable {
    public var model: IRTModel
    public var learners: Int
    public var items: Int
    /// Items answered per learner; `nil` (or ≥ `items`) for complete data.
    public var perLearner: Int?
    public var seed: UInt64
    /// Items, by index, whose responses follow a misfitting curve instead of their drawn parameters (see
    /// `Misfit`); the random stream is the same as without them, so other items' responses do not change.
    public var misfits: [Int: Misfit] = [:]

    public init(
        model: IRTModel, learners: Int, items: Int, perLearner: Int? = nil, seed: UInt64, misfits: [Int: Misfit] = [:]
    ) {
        self.model = model
        self.learners = learners
        self.items = items
        self.perLearner = perLearner
        self.seed = seed
        self.misfits = misfits
    }

    /// The generated truth and responses.
    public struct Output: Sendable {
        /// Drawn parameters (for a misfitting item, those its `Misfit` curve starts from).
        public var items: [ItemParameters]
        public var thetas: [Double]
        public var responses: ResponseMatrix
    }

    public func generate() throws(IRTError) -> Output {
        guard learners >= 1, items >= 1 else { throw IRTError("simulation needs at least one learner and one item") }
        if let k = perLearner, k < 1 { throw IRTError("per-learner count must be at least 1, got \(k)") }
        let k = min(perLearner ?? items, items)
        guard learners.multipliedReportingOverflow(by: k).partialValue <= 500_000_000 else {
            throw IRTError("simulation too large: \(learners) × \(k) responses")
        }
        var random = SeededGenerator(seed: seed)
        let commonA = exp(0.3 * random.normal())
        var parameters: [ItemParameters] = []
        parameters.reserveCapacity(items)
        for _ in 0..<items {
            let a = model == .onePL ? commonA : exp(0.3 * random.normal())
            let b = random.normal()
            let c = model == .threePL ? random.uniform(0.10, 0.25) : 0
            parameters.append(ItemParameters(a: a, b: b, c: c))
        }
        let thetas = (0..<learners).map { _ in random.normal() }
        let misfit = (0..<items).map { misfits[$0] }
        var learnerIndex = [Int32]()
        var itemIndex = [Int32]()
        var correct = [Bool]()
        learnerIndex.reserveCapacity(learners * k)
        itemIndex.reserveCapacity(learners * k)
        correct.reserveCapacity(learners * k)
        var stamp = [Int](repeating: -1, count: items)
        var chosen = [Int](repeating: 0, count: k)
        for l in 0..<learners {
            if k == items {
                for j in 0..<items { chosen[j] = j }
            } else {
                var n = 0
                while n < k {
                    let j = random.index(below: items)
                    if stamp[j] == l { continue }
                    stamp[j] = l
                    chosen[n] = j
                    n += 1
                }
                chosen.sort()
            }
            for j in chosen {
                learnerIndex.append(Int32(l))
                itemIndex.append(Int32(j))
                let p = misfit[j]?.probability(parameters[j], at: thetas[l]) ?? parameters[j].probability(at: thetas[l])
                correct.append(random.uniform() < p)
            }
        }
        let responses = try ResponseMatrix(
            learnerCount: learners, itemCount: items, learners: learnerIndex, items: itemIndex, correct: correct)
        return Output(items: parameters, thetas: thetas, responses: responses)
    }
}
