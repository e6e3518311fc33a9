import ArgumentParser
import IRT

extension IRTCommand {
    /// `irt calibrate`: responses CSV in, item estimates and EAP abilities out.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calibrate item parameters and learner abilities from a responses CSV.",
            discussion: """
                Input: CSV with header user_id,item_id,correct (1/0); a repeated answer of a learner to an item \
                keeps the first row. Anchors: CSV with header item_id,a,b,c; those items stay fixed and the \
                scale follows them. Outputs: item_id,a,b,c,se_a,se_b,se_c and user_id,theta,se (EAP, posterior \
                SD, or MAP with --scoring MAP). With --item-fit-out, item fit as \
                item_id,n,infit,outfit,infit_t,outfit_t,s_x2,s_x2_df,s_x2_p,flagged (S-X² only on complete data; \
                empty where not computed), and each flagged item's reasons on standard error. A summary, with the \
                marginal reliability, goes to standard error; bad input exits non-zero with a one-line reason.
                """
        )

        @Option(help: "Responses CSV (user_id,item_id,correct).")
        var input: String

        @Option(help: "Model: 1PL, 2PL or 3PL.")
        var model: String = "2PL"

        @Option(help: "Anchor items CSV (item_id,a,b,c), kept fixed.")
        var anchors: String?

        @Option(help: "Where to write item estimates.")
        var itemsOut: String

        @Option(help: "Where to write abilities.")
        var abilitiesOut: String

        @Option(help: "Where to write item fit (infit, outfit, S-X², flagged).")
        var itemFitOut: String?

        @Option(help: "Abilities: EAP (posterior mean and SD) or MAP (mode and 1/sqrt(information)).")
        var scoring: String = "EAP"

        @Option(help: "Worker threads (default: all processors).")
        var threads: Int?

        @Option(help: "Largest parameter change that counts as converged.")
        var tolerance: Double = 1e-4

        @Option(help: "Cap on EM iterations.")
        var maxIterations: Int = 500

        func run() throws {
            let ((), seconds) = try IRTCommand.seconds { () throws(IRTCommandError) in try calibrate() }
            IRTCommand.log(String("irt calibrate: total \(seconds) s"))
        }

        private func calibrate() throws(IRTCommandError) {
            var options = CalibrationOptions(model: try IRTCommand.model(model))
            guard let method = CalibrationOptions.Scoring(rawValue: scoring.uppercased()) else {
                throw IRTCommandError("--scoring must be EAP or MAP, got '\(scoring)'")
            }
            options.scoring = method
            options.threads = threads
            options.tolerance = tolerance
            options.maxIterations = maxIterations
            let (responses, readSeconds) = try IRTCommand.seconds { () throws(IRTCommandError) in
                let bytes = try IRTCommand.readBytes(input)
                do {
                    return try bytes.withUnsafeBufferPointer { bytes throws(IRTError) in
                        try ResponsesCSV.parse(bytes: bytes, threads: threads)
                    }
                } catch {
                    throw IRTCommandError("\(input): \(error)")
                }
            }
            if responses.duplicatesDropped > 0 {
                IRTCommand.log(
                    "irt calibrate: kept the first of repeated answers, dropped \(responses.duplicatesDropped) rows")
            }
            if let anchors {
                let anchorText = try IRTCommand.readText(anchors)
                let fixed: [(id: String, parameters: ItemParameters)]
                do {
                    fixed = try ItemsCSV.parseParameters(anchorText)
                } catch {
                    throw IRTCommandError("\(anchors): \(error)")
                }
                var index: [String: Int] = [:]
                for (j, id) in responses.itemIDs.enumerated() { index[id] = j }
                var unused = 0
                for anchor in fixed {
                    if let j = index[anchor.id] { options.anchors[j] = anchor.parameters } else { unused += 1 }
                }
                if unused > 0 { IRTCommand.log("irt calibrate: \(unused) anchor items have no responses; ignored") }
            }
            let (result, seconds) = try IRTCommand.seconds { () throws(IRTCommandError) in
                do {
                    return try Calibrator.calibrate(responses.matrix, options: options)
                } catch {
                    throw IRTCommandError("calibration failed: \(error)")
                }
            }
            let (fit, fitSeconds) = IRTCommand.seconds {
                FitAnalysis.analyze(responses.matrix, calibration: result, options: options)
            }
            let writeStart = ContinuousClock.now
            try IRTCommand.writeText(ItemsCSV.format(itemIDs: responses.itemIDs, estimates: result.items), to: itemsOut)
            if let itemFitOut {
                try IRTCommand.writeText(ItemFitCSV.format(itemIDs: responses.itemIDs, report: fit), to: itemFitOut)
                for j in fit.flaggedItems {
                    IRTCommand.log(
                        "irt calibrate: flagged \(responses.itemIDs[j]): "
                            + fit.items[j].flags.map(\.reason).joined(separator: "; "))
                }
            }
            try IRTCommand.writeText(
                AbilitiesCSV.format(learnerIDs: responses.learnerIDs, abilities: result.abilities), to: abilitiesOut)
            let written = ContinuousClock.now - writeStart
            let writeSeconds = Double(written.components.seconds) + Double(written.components.attoseconds) * 1e-18
            IRTCommand.log(
                "irt calibrate: \(options.model.rawValue), \(responses.learnerIDs.count) learners, "
                    + "\(responses.itemIDs.count) items (\(options.anchors.count) anchors), "
                    + "\(responses.matrix.responseCount) responses; \(result.iterations) iterations, "
                    + (result.converged ? "converged" : "NOT converged") + ", log-likelihood \(result.logLikelihood), "
                    + "AIC \(result.aic), BIC \(result.bic), latent N(\(result.latentMean), \(result.latentSD)²); "
                    + "marginal reliability " + (fit.reliability.map { String($0) } ?? "undefined") + ", "
                    + "\(fit.flaggedItems.count) items flagged; read \(readSeconds) s, calibration \(seconds) s, fit \(fitSeconds) s, write \(writeSeconds) s"
            )
        }
    }
}
