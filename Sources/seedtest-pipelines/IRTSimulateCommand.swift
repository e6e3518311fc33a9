import ArgumentParser
import IRT

extension IRTCommand {
    /// `irt simulate`: seeded simulated responses plus their true parameters, in the calibrate formats.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate responses with known item parameters and abilities.",
            discussion: """
                Writes DIR/responses.csv (user_id,item_id,correct), DIR/items.csv (true item_id,a,b,c with SE \
                columns 0; usable as --anchors) and DIR/abilities.csv (true user_id,theta, se 0). \
                a ~ lognormal(0, 0.3), b ~ N(0, 1), c ~ U(0.10, 0.25) for 3PL, theta ~ N(0, 1). \
                --plant-misfits N makes N evenly spread items misfit (cycling reversed, flat, step; see Misfit) and \
                lists them in DIR/misfits.csv (item_id,kind).
                """
        )

        @Option(help: "Number of learners.")
        var learners: Int

        @Option(help: "Number of items.")
        var items: Int

        @Option(help: "Items answered per learner, drawn at random (default: all).")
        var perLearner: Int?

        @Option(help: "Model: 1PL, 2PL or 3PL.")
        var model: String = "2PL"

        @Option(help: "Random seed.")
        var seed: UInt64 = 1

        @Option(help: "Number of misfitting items to plant (reversed, flat, step in turn).")
        var plantMisfits: Int = 0

        @Option(help: "Output directory (created if missing).")
        var out: String

        func run() throws {
            try simulate()
        }

        private func simulate() throws(IRTCommandError) {
            let simulation = Simulation(
                model: try IRTCommand.model(model), learners: learners, items: items, perLearner: perLearner,
                seed: seed, misfits: Misfit.planted(plantMisfits, among: items))
            let data: Simulation.Output
            do {
                data = try simulation.generate()
            } catch {
                throw IRTCommandError("simulation failed: \(error)")
            }
            let learnerIDs = IRTCommand.ids("u", count: learners)
            let itemIDs = IRTCommand.ids("i", count: items)
            try IRTCommand.makeDirectory(out)
            let labeled = LabeledResponses(learnerIDs: learnerIDs, itemIDs: itemIDs, matrix: data.responses)
            try IRTCommand.writeText(ResponsesCSV.format(labeled), to: out + "/responses.csv")
            try IRTCommand.writeText(ItemsCSV.format(itemIDs: itemIDs, parameters: data.items), to: out + "/items.csv")
            try IRTCommand.writeText(
                AbilitiesCSV.format(learnerIDs: learnerIDs, thetas: data.thetas), to: out + "/abilities.csv")
            if !simulation.misfits.isEmpty {
                let rows = simulation.misfits.sorted { $0.key < $1.key }.map {
                    "\(itemIDs[$0.key]),\($0.value.rawValue)\n"
                }
                try IRTCommand.writeText("item_id,kind\n" + rows.joined(), to: out + "/misfits.csv")
            }
            IRTCommand.log(
                "irt simulate: \(simulation.model.rawValue), \(learners) learners, \(items) items, "
                    + "\(data.responses.responseCount) responses, \(simulation.misfits.count) misfitting → \(out)")
        }
    }
}
