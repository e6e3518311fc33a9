import Glibc
import IRT

/// Item-fit statistics written directly from their published formulas, with plain loops over a dense table and
/// no code shared with the engine: the independent side of `FitFormulaTests`.
struct ReferenceFit {
    var items: [ItemParameters]
    var thetas: [Double]
    /// `responses[l][j]`: `nil` when learner `l` did not answer item `j`.
    var responses: [[Bool?]]

    /// Outfit, infit and their Wilson–Hilferty t (Wright & Masters 1982) of item `j`.
    func meanSquares(_ j: Int) -> (outfit: Double, infit: Double, outfitT: Double, infitT: Double) {
        var n = 0.0
        var z2 = 0.0
        var r2 = 0.0
        var w = 0.0
        var cw2 = 0.0
        var cMinusW2 = 0.0
        for l in thetas.indices {
            guard let u = responses[l][j] else { continue }
            let p = items[j].probability(at: thetas[l])
            let x = u ? 1.0 : 0.0
            let variance = p * (1 - p)
            let kurtosis = pow(0 - p, 4) * (1 - p) + pow(1 - p, 4) * p
            n += 1
            z2 += (x - p) * (x - p) / variance
            r2 += (x - p) * (x - p)
            w += variance
            cw2 += kurtosis / (variance * variance)
            cMinusW2 += kurtosis - variance * variance
        }
        let outfit = z2 / n
        let infit = r2 / w
        let qOut = (cw2 / (n * n) - 1 / n).squareRoot()
        let qIn = cMinusW2.squareRoot() / w
        func t(_ ms: Double, _ q: Double) -> Double { (pow(ms, 1.0 / 3) - 1) * 3 / q + q / 3 }
        return (outfit, infit, t(outfit, qOut), t(infit, qIn))
    }

    /// Pearson correlation of item `j` with the proportion correct on the learner's other answered items.
    func itemRest(_ j: Int) -> Double {
        var pairs: [(Double, Double)] = []
        for l in thetas.indices {
            guard let u = responses[l][j] else { continue }
            let others = responses[l].indices.filter { $0 != j }.compactMap { responses[l][$0] }
            guard !others.isEmpty else { continue }
            pairs.append((u ? 1 : 0, Double(others.filter { $0 }.count) / Double(others.count)))
        }
        let n = Double(pairs.count)
        let mx = pairs.reduce(0) { $0 + $1.0 } / n
        let my = pairs.reduce(0) { $0 + $1.1 } / n
        let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        let syy = pairs.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Summed-score distribution of `subset` at `theta` (Lord & Wingersky 1984), index = score.
    func scoreDistribution(_ subset: [Int], at theta: Double) -> [Double] {
        var dist = [1.0]
        for j in subset {
            let p = items[j].probability(at: theta)
            var next = [Double](repeating: 0, count: dist.count + 1)
            for k in dist.indices {
                next[k] += dist[k] * (1 - p)
                next[k + 1] += dist[k] * p
            }
            dist = next
        }
        return dist
    }

    /// S-X² (Orlando & Thissen 2000) of item `i` on the grid, with mirt's default collapsing to expected counts
    /// of at least 1: returns (statistic, df, p).
    func sx2(_ i: Int, grid: ReferenceGrid, parameters: Int) -> (Double, Int, Double) {
        let n = items.count
        let others = (0..<n).filter { $0 != i }
        var numerator = [Double](repeating: 0, count: n + 1)
        var denominator = [Double](repeating: 0, count: n + 1)
        for (q, theta) in grid.nodes.enumerated() {
            let full = scoreDistribution(Array(0..<n), at: theta)
            let rest = scoreDistribution(others, at: theta)
            let p = items[i].probability(at: theta)
            for k in 1..<n {
                numerator[k] += grid.weights[q] * p * rest[k - 1]
                denominator[k] += grid.weights[q] * full[k]
            }
        }
        // Groups k = 1 … n − 1: [observed wrong, observed right, expected wrong, expected right].
        var table: [[Double]] = []
        for k in 1..<n {
            let members = thetas.indices.filter { l in responses[l].filter { $0 == true }.count == k }
            let size = Double(members.count)
            let right = Double(members.filter { responses[$0][i] == true }.count)
            let e = numerator[k] / denominator[k]
            table.append([size - right, right, size * (1 - e), size * e])
        }
        func small(_ row: [Double]) -> Bool { row[2] < 1 || row[3] < 1 }
        func merged(_ x: [Double], _ y: [Double]) -> [Double] { (0..<4).map { x[$0] + y[$0] } }
        while table.count > 1 && small(table[0]) {
            let first = table[0]
            table = [merged(first, table[1])] + table[2...]
        }
        while table.count > 1 && small(table[table.count - 1]) {
            let last = table.removeLast()
            table[table.count - 1] = merged(table[table.count - 1], last)
        }
        while table.count > 1, let k = table.firstIndex(where: small) {
            let row = table.remove(at: k)
            let into = k < table.count ? k : k - 1
            table[into] = merged(table[into], row)
        }
        var statistic = 0.0
        for row in table {
            statistic += (row[0] - row[2]) * (row[0] - row[2]) / row[2] + (row[1] - row[3]) * (row[1] - row[3]) / row[3]
        }
        let df = table.count - parameters
        return (statistic, df, Self.chiSquareTail(statistic, df))
    }

    /// Upper χ² tail in closed form: `e^{−x/2} Σ_{i<k} (x/2)^i / i!` for `df = 2k`, and
    /// `erfc(√(x/2)) + e^{−x/2} Σ_{i<k} (x/2)^{i+½} / Γ(i + 3/2)` for `df = 2k + 1`.
    static func chiSquareTail(_ x: Double, _ df: Int) -> Double {
        let h = x / 2
        var sum = 0.0
        if df % 2 == 0 {
            for i in 0..<df / 2 { sum += exp(-h + Double(i) * log(h) - lgamma(Double(i) + 1)) }
            return sum
        }
        for i in 0..<(df - 1) / 2 { sum += exp(-h + (Double(i) + 0.5) * log(h) - lgamma(Double(i) + 1.5)) }
        return erfc(h.squareRoot()) + sum
    }
}
