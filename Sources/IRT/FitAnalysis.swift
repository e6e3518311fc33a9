/// Item fit, information and reliability of a finished calibration, from its final item parameters, latent
/// distribution and abilities (EAP in the default scoring).
///
/// - Infit and outfit with Wilson–Hilferty t, and item–rest correlations, over the responses given
///   (`ResidualFit`).
/// - S-X² (`SummedScoreFitTable`) on the calibration's grid under its estimated latent distribution, when the
///   response matrix is complete (every learner with responses answered every item); otherwise, when items carry
///   topics, within each topic whose learners answered all of its items; else not computed, with the reason.
/// - Flags (`FitOptions`): BH-adjusted S-X² p below the significance level; infit or outfit outside the band with
///   enough responses; `a` below the minimum; a negative item–rest correlation. A reversed or flat item fits a
///   2PL with a small `a` perfectly well, so the last two rules are what catch it.
/// - Test information on the grid and empirical marginal reliability, overall and per topic.
public enum FitAnalysis {
    /// - Parameters:
    ///   - options: the calibration's options (model, grid, threads).
    ///   - topics: a topic per item index (`nil` for none), or `nil` when items carry no topics.
    public static func analyze(
        _ data: ResponseMatrix, calibration: CalibrationResult, options: CalibrationOptions,
        fit: FitOptions = FitOptions(), topics: [String?]? = nil
    ) -> FitReport {
        let items = calibration.items.map(\.parameters)
        let grid = Quadrature(points: options.quadraturePoints, range: options.quadratureRange)
        let nodes = (0..<grid.count).map { grid.nodes[$0 >> 3][$0 & 7] }
        let perItem = options.model == .onePL ? 1 : options.model.itemDimensions
        let parameterCounts = calibration.items.map { $0.isAnchor ? 0 : perItem }
        let threads = max(1, options.threads ?? Parallel.processorCount)
        func table(_ scale: [Int]) -> SummedScoreFitTable {
            SummedScoreFitTable(
                scale: scale, items: items, parameterCounts: parameterCounts, grid: grid,
                latentMean: calibration.latentMean, latentSD: calibration.latentSD)
        }

        var (names, topicOfItem) = ([String](), [Int](repeating: -1, count: data.itemCount))
        if let topics {
            var index: [String: Int] = [:]
            for (j, topic) in topics.enumerated().prefix(data.itemCount) {
                guard let topic else { continue }
                if index[topic] == nil {
                    index[topic] = names.count
                    names.append(topic)
                }
                topicOfItem[j] = index[topic] ?? -1
            }
        }
        let members = (0..<names.count).map { t in (0..<data.itemCount).filter { topicOfItem[$0] == t } }

        var summed = table(Array(0..<data.itemCount)).compute(data)
        if summed.allSatisfy({ $0.value == nil }) && !names.isEmpty {
            let whole = summed
            for scale in members {
                for (s, value) in zip(scale, table(scale).compute(data)) { summed[s] = value }
            }
            for j in 0..<data.itemCount where topicOfItem[j] < 0 { summed[j] = whole[j] }
        }
        adjust(&summed)

        let residuals = ResidualFit.compute(
            data, items: items, thetas: calibration.abilities.map(\.theta), threads: threads)
        let report = (0..<data.itemCount).map { j in
            var item = ItemFit(
                responseCount: data.responseCount(ofItem: j), infit: residuals.infit[j], outfit: residuals.outfit[j],
                infitT: residuals.infitT[j], outfitT: residuals.outfitT[j], itemRestCorrelation: residuals.itemRest[j],
                summedScoreFit: summed[j], flags: [])
            item.flags = flags(item, a: items[j].a, fit)
            item.groups = residuals.groups[j]
            return item
        }

        let answered = (0..<data.learnerCount).filter { data.responseCount(ofLearner: $0) > 0 }
        let reliability = TestInformation.reliability(answered.map { calibration.abilities[$0] })
        var topicFits: [TopicFit] = []
        if !names.isEmpty {
            let abilities = TestInformation.topicAbilities(
                data, items: items, topicOfItem: topicOfItem, topicCount: names.count, grid: grid,
                prior: grid.priorWeights(mean: calibration.latentMean, sd: calibration.latentSD), threads: threads)
            topicFits = names.indices.map { t in
                TopicFit(
                    topic: names[t], items: members[t],
                    information: TestInformation.curve(members[t].map { items[$0] }, nodes: nodes),
                    reliability: TestInformation.reliability(abilities[t]))
            }
        }
        return FitReport(
            items: report, nodes: nodes, information: TestInformation.curve(items, nodes: nodes),
            reliability: reliability, topics: topicFits)
    }

    /// Benjamini–Hochberg over the computed S-X² p-values: the `i`-th smallest of `m` becomes
    /// `min_{k ≥ i} min(1, m p_(k) / k)`.
    static func adjust(_ values: inout [SummedScoreFit]) {
        let computed = values.indices.compactMap { j in values[j].value.map { (j, $0.p) } }.sorted { $0.1 < $1.1 }
        let m = Double(computed.count)
        var running = 1.0
        for (rank, (j, p)) in computed.enumerated().reversed() {
            running = min(running, m * p / Double(rank + 1))
            if case .computed(var value) = values[j] {
                value.adjustedP = min(1, running)
                values[j] = .computed(value)
            }
        }
    }

    /// The rules `item` breaks.
    static func flags(_ item: ItemFit, a: Double, _ fit: FitOptions) -> [FitFlag] {
        var flags: [FitFlag] = []
        if let value = item.summedScoreFit.value, value.adjustedP < fit.significance {
            flags.append(
                FitFlag(
                    rule: .summedScoreFit,
                    reason: "S-X² \(FitText.fixed(value.statistic, 1)) on \(value.degreesOfFreedom) df, p "
                        + "\(FitText.probability(value.p)) (BH-adjusted \(FitText.probability(value.adjustedP))) "
                        + "< \(fit.significance)"))
        }
        let band = fit.meanSquareBand
        let bandText = "\(band.lowerBound)–\(band.upperBound)"
        if item.responseCount >= fit.minimumResponsesForBand {
            for (rule, value) in [(FitFlag.Rule.infit, item.infit), (.outfit, item.outfit)] {
                guard let value, !band.contains(value) else { continue }
                flags.append(
                    FitFlag(
                        rule: rule,
                        reason: "\(rule.rawValue) \(FitText.fixed(value, 2)) outside \(bandText) "
                            + "(\(item.responseCount) responses)"))
            }
        }
        if !(a >= fit.minimumDiscrimination) {
            flags.append(
                FitFlag(
                    rule: .lowDiscrimination,
                    reason: "discrimination a = \(FitText.fixed(a, 3)) below \(fit.minimumDiscrimination)"))
        }
        if let r = item.itemRestCorrelation, r < 0 {
            flags.append(
                FitFlag(
                    rule: .negativeItemRest,
                    reason: "item–rest correlation \(FitText.fixed(r, 3)) is negative (miskeyed?)"))
        }
        return flags
    }
}
