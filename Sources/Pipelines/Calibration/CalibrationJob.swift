import Foundation
import IRT
import JSON
import UTCTime

/// `calibrate-irt` (SPEC §6): fits item parameters and learner abilities to the window's first answers, anchors
/// kept fixed, and writes the latest values, their history and the fit metadata in the run's transaction. A
/// calibration that cannot be done well fails the run and writes nothing.
struct CalibrationJob: StageJob {
    /// The day the calibration is as of: responses in `W(asOf, lookbackDays)`.
    let asOf: Day
    let lookbackDays: Int
    let model: IRTModel
    let topicID: String?
    let maxObservations: Int?
    let minimumItemResponses: Int
    let version: String
    let updateItems: Bool
    static let minimumItems = 2
    static let minimumLearners = 10

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let window = TimeWindow(endingOn: asOf, days: lookbackDays)
        let progress = context.progress
        try progress.begin("loading")
        let loadStarted = Date()
        let loaded = try CalibrationResponses.load(
            connection, window: window, topicID: topicID, maxObservations: maxObservations,
            minimumResponses: minimumItemResponses,
            plan: WindowAnswers.ReadPlan(
                readers: SnapshotReaders(
                    applicationName: PipelineRunner.applicationName(
                        runID: context.runID, stage: Stage.calibrateIRT.rawValue),
                    shouldStop: progress.stopCheck)))
        context.logger.info(
            "loaded responses",
            metadata: [
                "responses": "\(loaded.items.count)", "seconds": "\(Date().timeIntervalSince(loadStarted))",
            ])
        guard !loaded.itemIDs.isEmpty else {
            throw StageError(
                "no item has at least \(minimumItemResponses) first answers in the last \(lookbackDays) days"
                    + (topicID.map { " in topic \($0)" } ?? "") + "; nothing to calibrate", insufficientData: true)
        }
        let degenerate = loaded.degenerateItems()
        let responses = loaded.removing(items: degenerate)
        guard responses.itemIDs.count >= Self.minimumItems, responses.learnerIDs.count >= Self.minimumLearners else {
            throw StageError(
                "too little data to calibrate: \(responses.itemIDs.count) usable items and "
                    + "\(responses.learnerIDs.count) learners (need at least \(Self.minimumItems) and "
                    + "\(Self.minimumLearners)); \(degenerate.count) items were answered all right or all wrong",
                insufficientData: true)
        }
        var options = CalibrationOptions(model: model)
        options.anchors = try CalibrationWriter.anchors(connection, ids: responses.itemIDs)
        options.shouldStop = progress.stopCheck
        options.onIteration = { try? progress.tick($0) }
        try progress.begin("em iterations", total: options.maxIterations)
        let started = Date()
        let result: CalibrationResult
        let matrix: ResponseMatrix
        do {
            matrix = try responses.matrix()
            result = try Calibrator.calibrate(matrix, options: options)
        } catch {
            throw StageError("calibration failed: \(error.description)")
        }
        let seconds = Date().timeIntervalSince(started)
        guard result.converged else {
            throw StageError(
                "calibration did not converge within \(options.maxIterations) EM iterations; nothing was written")
        }
        context.logger.info(
            "calibrated",
            metadata: [
                "items": "\(responses.itemIDs.count)", "learners": "\(responses.learnerIDs.count)",
                "responses": "\(responses.items.count)", "iterations": "\(result.iterations)",
                "seconds": "\(seconds)",
            ])
        try progress.begin("scoring")
        let fitStarted = Date()
        let topics = try ItemTopics.load(connection, ids: responses.itemIDs)
        let fit = FitAnalysis.analyze(matrix, calibration: result, options: options, topics: topics)
        context.logger.info("analysed fit", metadata: ["seconds": "\(Date().timeIntervalSince(fitStarted))"])
        let writeStarted = Date()
        let previous = try CalibrationWriter.previousParameters(
            connection, version: version, model: model, asOf: asOf)
        let drift = zip(responses.itemIDs, result.items).compactMap { id, estimate -> ItemDrift? in
            guard !estimate.isAnchor, let before = previous[id] else { return nil }
            let change = ItemDrift(itemID: id, previous: before, current: estimate.parameters)
            return change.isFlagged ? change : nil
        }
        try progress.begin("writing")
        let writeContext = CalibrationWriter.Context(
            runID: context.runID, version: version, model: model, fittedAt: context.startedAt, asOf: asOf)
        try CalibrationWriter.writeItems(
            connection, ids: responses.itemIDs, estimates: result.items, fits: fit.items.map(ItemFitMetadata.item),
            context: writeContext, updateItems: updateItems
        )
        try CalibrationWriter.writeAbilities(
            connection, ids: responses.learnerIDs, abilities: result.abilities, context: writeContext)
        let excluded = degenerate.map { loaded.itemIDs[Int($0)] }.sorted()
        let compared = responses.itemIDs.filter { previous[$0] != nil }.count
        var fitMetrics = metrics(
            result, responses: responses, anchors: options.anchors.count, drift: drift, excluded: excluded,
            seconds: seconds, comparedItems: compared)
        fitMetrics["fit"] = ItemFitMetadata.json(fit, itemIDs: responses.itemIDs, options: FitOptions())
        try CalibrationWriter.writeMetadata(
            connection, runID: context.runID, modelSpec: modelSpec(options), metrics: fitMetrics,
            fittedAt: context.startedAt)
        context.logger.info("wrote results", metadata: ["seconds": "\(Date().timeIntervalSince(writeStarted))"])
        return JSONObject([
            ("learners", .int(Int64(responses.learnerIDs.count))), ("items", .int(Int64(responses.itemIDs.count))),
            ("responses", .int(Int64(responses.items.count))), ("anchors", .int(Int64(options.anchors.count))),
            ("iterations", .int(Int64(result.iterations))), ("converged", .bool(result.converged)),
            ("drifted_items", .int(Int64(drift.count))), ("excluded_items", .int(Int64(excluded.count))),
            ("flagged_items", .int(Int64(fit.flaggedItems.count))),
            ("items_updated", .int(Int64(updateItems ? result.items.filter { !$0.isAnchor }.count : 0))),
        ])
    }

    func modelSpec(_ options: CalibrationOptions) -> JSONObject {
        let priors = options.priors
        var itemPriors = JSONObject()
        itemPriors["log_a"] = .string("N(\(priors.logSlopeMean), \(priors.logSlopeSD))")
        itemPriors["b"] = .string("N(0, \(priors.difficultySD))")
        if model == .threePL { itemPriors["c"] = .string("Beta(\(priors.guessingAlpha), \(priors.guessingBeta))") }
        var data = JSONObject()
        data["lookback_days"] = .int(Int64(lookbackDays))
        data["as_of"] = .string(asOf.iso)
        data["topic_id"] = .optional(topicID)
        data["max_obs"] = maxObservations.map { .int(Int64($0)) } ?? .null
        data["min_item_responses"] = .int(Int64(minimumItemResponses))
        data["responses"] = "first answer per learner and item"
        var spec = JSONObject()
        spec["model"] = .string(model.rawValue)
        spec["version"] = .string(version)
        spec["estimation"] = "MML-EM (Bock-Aitkin)"
        spec["quadrature"] = .object(
            JSONObject([("points", .int(Int64(options.quadraturePoints))), ("range", .double(options.quadratureRange))])
        )
        spec["ability_prior"] = "N(0,1); latent mean and SD estimated when anchored"
        spec["item_priors"] = .object(itemPriors)
        spec["scoring"] = "EAP with posterior SD"
        spec["tolerance"] = .double(options.tolerance)
        spec["max_iterations"] = .int(Int64(options.maxIterations))
        spec["data"] = .object(data)
        return spec
    }

    func metrics(
        _ result: CalibrationResult, responses: CalibrationResponses, anchors: Int, drift: [ItemDrift],
        excluded: [String], seconds: Double, comparedItems: Int
    ) -> JSONObject {
        let linking: JSONValue =
            anchors > 0
            ? [
                "method": "fixed anchor parameters", "anchors": .int(Int64(anchors)),
                "latent_mean": .double(result.latentMean), "latent_sd": .double(result.latentSD),
            ]
            : ["method": "none: the scale is N(0,1)", "anchors": 0]
        return JSONObject([
            ("n_learners", .int(Int64(responses.learnerIDs.count))), ("n_items", .int(Int64(responses.itemIDs.count))),
            ("n_responses", .int(Int64(responses.items.count))), ("log_likelihood", .double(result.logLikelihood)),
            ("aic", .double(result.aic)), ("bic", .double(result.bic)),
            ("parameters", .int(Int64(result.parameterCount))), ("iterations", .int(Int64(result.iterations))),
            ("converged", .bool(result.converged)), ("latent_mean", .double(result.latentMean)),
            ("latent_sd", .double(result.latentSD)), ("linking", linking), ("seconds", .double(seconds)),
            (
                "drift",
                [
                    "thresholds": [
                        "a": .double(ItemDrift.thresholds.a), "b": .double(ItemDrift.thresholds.b),
                        "c": .double(ItemDrift.thresholds.c),
                    ],
                    "compared_items": .int(Int64(comparedItems)), "flagged": .array(drift.map(\.json)),
                ]
            ),
            ("excluded_items", .array(excluded.map(JSONValue.string))),
        ])
    }
}
