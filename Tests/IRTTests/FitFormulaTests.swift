import Glibc
import IRT
import Testing

/// The engine's fit statistics against `ReferenceFit`, the formulas written out independently, for given item
/// parameters, abilities and responses: infit and outfit (and their t) to 1e-9, S-X² to 1e-6 on the same grid.
@Suite struct FitFormulaTests {
    /// Known items (2PL and 3PL shapes, one anchor), abilities and responses drawn from them; `missing` leaves
    /// out each response with that probability.
    static func fixture(learners: Int, missing: Double = 0, seed: UInt64) throws -> (ReferenceFit, ResponseMatrix) {
        var random = SeededGenerator(seed: seed)
        let items = (0..<12).map { j in
            ItemParameters(a: 0.6 + 0.15 * Double(j % 7), b: -1.8 + 0.33 * Double(j), c: j % 4 == 3 ? 0.15 : 0)
        }
        let thetas = (0..<learners).map { _ in 0.3 + 1.1 * random.normal() }
        var responses: [[Bool?]] = []
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<learners {
            var row: [Bool?] = []
            for (j, item) in items.enumerated() {
                let answered = random.uniform() >= missing
                let correct = random.uniform() < item.probability(at: thetas[l])
                row.append(answered ? correct : nil)
                if answered { triples.append((l, j, correct)) }
            }
            responses.append(row)
        }
        let data = try matrix(learners: learners, items: 12, triples)
        return (ReferenceFit(items: items, thetas: thetas, responses: responses), data)
    }

    /// A calibration result carrying the given parameters and abilities (item 5 an anchor).
    static func calibration(_ reference: ReferenceFit, mean: Double, sd: Double) -> CalibrationResult {
        let zero = ItemParameters(a: 0, b: 0, c: 0)
        return CalibrationResult(
            items: reference.items.enumerated().map {
                ItemEstimate(parameters: $0.element, se: zero, isAnchor: $0.offset == 5, responseCount: 0)
            },
            abilities: reference.thetas.map { AbilityEstimate(theta: $0, se: 0.3 + 0.01 * abs($0)) },
            iterations: 1, converged: true, logLikelihood: 0, aic: 0, bic: 0, parameterCount: 0, latentMean: mean,
            latentSD: sd)
    }

    @Test func residualStatisticsMatchTheFormulas() throws {
        for missing in [0.0, 0.4] {
            let (reference, data) = try Self.fixture(learners: 1_500, missing: missing, seed: 21)
            let report = FitAnalysis.analyze(
                data, calibration: Self.calibration(reference, mean: 0.3, sd: 1.1),
                options: CalibrationOptions(model: .threePL))
            for j in 0..<12 {
                let expected = reference.meanSquares(j)
                let fit = report.items[j]
                #expect(abs(try #require(fit.outfit) - expected.outfit) < 1e-9)
                #expect(abs(try #require(fit.infit) - expected.infit) < 1e-9)
                #expect(abs(try #require(fit.outfitT) - expected.outfitT) < 1e-9)
                #expect(abs(try #require(fit.infitT) - expected.infitT) < 1e-9)
                #expect(abs(try #require(fit.itemRestCorrelation) - reference.itemRest(j)) < 1e-9)
            }
            if missing > 0 {
                #expect(report.items.allSatisfy { $0.summedScoreFit.reason?.contains("incomplete") == true })
            }
        }
    }

    /// With 300 learners the extreme score groups have expected counts below 1 and are collapsed.
    @Test(arguments: [2_000, 300])
    func summedScoreFitMatchesTheFormulas(learners: Int) throws {
        let (reference, data) = try Self.fixture(learners: learners, seed: 22)
        var options = CalibrationOptions(model: .threePL)
        options.threads = 2
        let report = FitAnalysis.analyze(
            data, calibration: Self.calibration(reference, mean: 0.3, sd: 1.1), options: options)
        let grid = ReferenceGrid(mean: 0.3, sd: 1.1)
        var pValues: [Double] = []
        var degrees: [Int] = []
        for i in 0..<12 {
            let (statistic, df, p) = reference.sx2(i, grid: grid, parameters: i == 5 ? 0 : 3)
            let value = try #require(report.items[i].summedScoreFit.value)
            #expect(abs(value.statistic - statistic) < 1e-6)
            #expect(value.degreesOfFreedom == df)
            #expect(abs(value.p - p) < 1e-6)
            pValues.append(p)
            degrees.append(df)
        }
        if learners == 300 { #expect(degrees.contains { $0 < 11 - 3 - 1 }) }
        // Benjamini–Hochberg, naively: min over k ≥ rank of m p_(k) / k.
        let sorted = pValues.sorted()
        for i in 0..<12 {
            let rank = sorted.firstIndex(of: pValues[i])! + 1
            let adjusted = min(1, (rank...12).map { 12 * sorted[$0 - 1] / Double($0) }.min()!)
            #expect(abs(report.items[i].summedScoreFit.value!.adjustedP - adjusted) < 1e-9)
        }
    }

    /// On incomplete data, S-X² is computed within a topic whose learners answered all its items, and said to be
    /// not computed for the others.
    @Test func summedScoreFitWithinACompleteTopic() throws {
        let (reference, complete) = try Self.fixture(learners: 1_000, seed: 24)
        var triples: [(Int, Int, Bool)] = []
        for l in 0..<1_000 {
            for j in 0..<12 { triples.append((l, j, reference.responses[l][j] == true)) }
            if l % 3 == 0 { triples.append((l, 12 + l % 4, l % 2 == 0)) }
        }
        let data = try matrix(learners: 1_000, items: 16, triples)
        #expect(data.responseCount == complete.responseCount + 334)
        var calibration = Self.calibration(reference, mean: 0.3, sd: 1.1)
        for _ in 12..<16 {
            calibration.items.append(
                ItemEstimate(
                    parameters: ItemParameters(a: 1, b: 0), se: ItemParameters(a: 0, b: 0), isAnchor: false,
                    responseCount: 0))
        }
        let topics: [String?] = (0..<16).map { $0 < 12 ? "complete" : "sparse" }
        let report = FitAnalysis.analyze(
            data, calibration: calibration, options: CalibrationOptions(model: .threePL), topics: topics)
        let grid = ReferenceGrid(mean: 0.3, sd: 1.1)
        for i in 0..<12 {
            let (statistic, df, _) = reference.sx2(i, grid: grid, parameters: i == 5 ? 0 : 3)
            let value = try #require(report.items[i].summedScoreFit.value)
            #expect(abs(value.statistic - statistic) < 1e-6 && value.degreesOfFreedom == df)
        }
        for j in 12..<16 {
            #expect(report.items[j].summedScoreFit.reason?.contains("incomplete data") == true)
        }
    }

    @Test func informationAndReliabilityMatchTheFormulas() throws {
        let (reference, data) = try Self.fixture(learners: 300, missing: 0.2, seed: 23)
        let calibration = Self.calibration(reference, mean: 0, sd: 1)
        let topics: [String?] = (0..<12).map { $0 < 6 ? "alpha" : ($0 < 11 ? "beta" : nil) }
        let report = FitAnalysis.analyze(
            data, calibration: calibration, options: CalibrationOptions(model: .threePL), topics: topics)
        let grid = ReferenceGrid()
        func information(_ subset: [Int], at theta: Double) -> Double {
            subset.reduce(0) { total, j in
                let item = reference.items[j]
                let p = item.probability(at: theta)
                let derivative = item.a * (p - item.c) * (1 - p) / (1 - item.c)
                return total + derivative * derivative / (p * (1 - p))
            }
        }
        #expect(zip(report.nodes, grid.nodes).allSatisfy { abs($0 - $1) < 1e-12 } && report.nodes.count == 61)
        for (q, theta) in grid.nodes.enumerated() {
            let all = information(Array(0..<12), at: theta)
            #expect(abs(report.information[q] - all) < 1e-9 * max(1, all))
            #expect(abs(report.topics[0].information[q] - information(Array(0..<6), at: theta)) < 1e-9 * max(1, all))
        }
        let se2 = calibration.abilities.reduce(0) { $0 + $1.se * $1.se } / 300
        let mean = reference.thetas.reduce(0, +) / 300
        let variance = reference.thetas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 300
        #expect(abs(try #require(report.reliability) - (1 - se2 / variance)) < 1e-12)
        #expect(report.topics.map(\.topic) == ["alpha", "beta"])
        #expect(report.topics.map(\.items) == [Array(0..<6), Array(6..<11)])
        // Per topic: EAP on the topic's items alone, from the independent scorer.
        let scorer = AbilityScorer()
        let alpha = reference.responses.compactMap { row -> AbilityEstimate? in
            let pattern = (0..<6).compactMap { j in row[j].map { (reference.items[j], $0) } }
            return pattern.isEmpty ? nil : scorer.eap(pattern)
        }
        let alphaMean = alpha.reduce(0) { $0 + $1.theta } / Double(alpha.count)
        let alphaVariance =
            alpha.reduce(0) { $0 + ($1.theta - alphaMean) * ($1.theta - alphaMean) } / Double(alpha.count)
        let alphaSE2 = alpha.reduce(0) { $0 + $1.se * $1.se } / Double(alpha.count)
        #expect(abs(try #require(report.topics[0].reliability) - (1 - alphaSE2 / alphaVariance)) < 1e-9)
    }

    @Test func chiSquareTailMatchesClosedForms() {
        for df in 1...40 {
            for x in [0.01, 0.5, 1, 3.84, 10, Double(df), 2.5 * Double(df), 80] {
                let expected = ReferenceFit.chiSquareTail(x, df)
                let p = ChiSquare.survival(x, degreesOfFreedom: Double(df))!
                #expect(abs(p - expected) <= 1e-12 + 1e-10 * expected, "df \(df), x \(x)")
            }
        }
        #expect(ChiSquare.survival(-1, degreesOfFreedom: 3) == nil)
        #expect(ChiSquare.survival(1, degreesOfFreedom: 0) == nil)
    }
}
