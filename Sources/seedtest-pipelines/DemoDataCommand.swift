import ArgumentParser
import DemoData
import IRT
import Storage
import UTCTime

/// `seedtest-pipelines demo-data`: generates realistic data through the ingest code.
struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Generate realistic demo data (same seed, same data) and write it through the ingest code.")

    @Option(help: "Number of learners.") var learners = 200
    @Option(help: "Number of items.") var items = 120
    @Option(help: "Days of history, ending yesterday.") var days = 60
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Response model: 2PL (default) or 3PL.", transform: DemoDataCommand.model) var model = IRTModel.twoPL
    @Option(help: "Mean answers per session.") var answersPerSession = 8
    @Option(help: "Last day with answers (YYYY-MM-DD, default yesterday).", transform: DemoDataCommand.day)
    var lastDay: Day?
    @Option(help: "Write the attempts as gzip NDJSON files of --batch-size records here instead of into a database.")
    var ndjsonOut: String?
    @Option(help: "Attempts per transaction (or per file with --ndjson-out).") var batchSize = 100_000
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard learners > 0, items > 0, days > 0 else {
            throw ValidationError("--learners, --items and --days must be > 0")
        }
    }

    /// `--model`: 2PL or 3PL, in any case.
    @Sendable static func model(_ text: String) throws -> IRTModel {
        guard let model = IRTModel(rawValue: text.uppercased()), model == .twoPL || model == .threePL else {
            throw ValidationError("--model must be 2PL or 3PL")
        }
        return model
    }

    /// `--last-day`: an ISO date.
    @Sendable static func day(_ text: String) throws -> Day {
        guard let day = Day(iso: text) else { throw ValidationError("--last-day must be YYYY-MM-DD") }
        return day
    }

    func run() throws {
        let logger = bootstrapLogging(level: .info)
        var options = DemoDataOptions()
        options.learners = learners
        options.items = items
        options.days = days
        options.seed = seed
        options.model = model
        options.answersPerSession = answersPerSession
        if let lastDay { options.lastDay = lastDay }
        options.batchSize = batchSize
        if let ndjsonOut {
            let files = try DemoNDJSON.export(options, to: ndjsonOut)
            print("demo data: \(files.attempts) attempts in \(files.count) files in \(ndjsonOut)")
            return
        }
        let configuration = try database.configuration()
        let summary = try database.withPool(configuration, logger: logger) { pool in
            try Migrator.migrate(pool, logger: logger)
            return try DemoData.load(options, into: pool, logger: logger)
        }
        print(
            "demo data: \(summary.learners) learners, \(summary.items) items in \(summary.topics) topics "
                + "(\(summary.anchors) anchors), \(summary.attempts) attempts (\(summary.inserted) new)")
    }
}
