import IRT
import Testing

/// `irt calibrate --item-fit-out`: the header the issue names, one row per item, empty fields where a statistic was
/// not computed, and `flagged` 1 or 0.
@Suite struct ItemFitCSVTests {
    @Test func completeAndSparseData() throws {
        for perLearner in [nil, 6] as [Int?] {
            let data = try Simulation(
                model: .twoPL, learners: 600, items: 12, perLearner: perLearner, seed: 5,
                misfits: Misfit.planted(1, among: 12)
            ).generate()
            let options = CalibrationOptions(model: .twoPL)
            let result = try Calibrator.calibrate(data.responses, options: options)
            let report = FitAnalysis.analyze(data.responses, calibration: result, options: options)
            let ids = (1...12).map { "item-\($0)" }
            let lines = ItemFitCSV.format(itemIDs: ids, report: report).split(separator: "\n").map(String.init)
            #expect(lines.first == "item_id,n,infit,outfit,infit_t,outfit_t,s_x2,s_x2_df,s_x2_p,flagged")
            #expect(lines.count == 13)
            for (j, line) in lines.dropFirst().enumerated() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(fields.count == 10)
                #expect(fields[0] == ids[j] && Int(fields[1]) == report.items[j].responseCount)
                #expect(fields[2...5].allSatisfy { Double($0) != nil })
                if perLearner == nil {
                    #expect(fields[6...8].allSatisfy { Double($0) != nil })
                } else {
                    #expect(fields[6...8].allSatisfy { $0.isEmpty })
                }
                #expect(fields[9] == (report.items[j].isFlagged ? "1" : "0"))
            }
            #expect(lines[7].hasSuffix(",1"), "the planted reversed item (index 6) is flagged")
        }
    }
}
