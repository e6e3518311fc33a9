import IRT
import Testing

/// Planted misfit on 5,000 × 50 complete 2PL data with 5 misfitting items (reversed, flat, step, reversed, flat):
/// every planted item is flagged, and across 10 seeds at most 5 % of the well-fitting items are.
@Suite struct PlantedMisfitTests {
    /// Calibrates one seed's data and returns the planted items and the flagged ones.
    static func run(seed: UInt64) throws -> (planted: [Int: Misfit], report: FitReport) {
        let planted = Misfit.planted(5, among: 50)
        let data = try Simulation(model: .twoPL, learners: 5_000, items: 50, seed: seed, misfits: planted).generate()
        let options = CalibrationOptions(model: .twoPL)
        let result = try Calibrator.calibrate(data.responses, options: options)
        return (planted, FitAnalysis.analyze(data.responses, calibration: result, options: options))
    }

    @Test func plantedItemsAreFlaggedAndGoodOnesRarelyAre() throws {
        var falseFlags = 0
        var goodItems = 0
        var missed: [String] = []
        for seed in UInt64(1)...10 {
            let (planted, report) = try Self.run(seed: seed)
            #expect(planted.count == 5)
            for (j, fit) in report.items.enumerated() {
                if let kind = planted[j] {
                    if !fit.isFlagged { missed.append("seed \(seed) item \(j) (\(kind))") }
                } else {
                    goodItems += 1
                    if fit.isFlagged { falseFlags += 1 }
                }
            }
            #expect(report.items.allSatisfy { $0.summedScoreFit.value != nil })
            #expect(report.reliability.map { $0 > 0.8 && $0 < 1 } == true)
        }
        #expect(missed.isEmpty, "planted items not flagged: \(missed)")
        #expect(goodItems == 450)
        #expect(Double(falseFlags) <= 0.05 * Double(goodItems), "\(falseFlags) of \(goodItems) good items flagged")
    }

    /// The reasons name the rule that caught each kind of planted misfit.
    @Test func reasonsNameTheRules() throws {
        let (planted, report) = try Self.run(seed: 3)
        for (j, kind) in planted {
            let rules = Set(report.items[j].flags.map(\.rule))
            switch kind {
            case .reversed: #expect(rules.isSuperset(of: [.lowDiscrimination, .negativeItemRest]), "\(rules)")
            case .flat: #expect(rules.contains(.lowDiscrimination), "\(rules)")
            case .step: #expect(rules.contains(.summedScoreFit), "\(rules)")
            }
            #expect(report.items[j].flags.allSatisfy { !$0.reason.isEmpty })
        }
    }
}
