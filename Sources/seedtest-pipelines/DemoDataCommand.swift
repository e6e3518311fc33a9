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
    @Option(help: "Response model: 2PL or 3PL.") var model = "2PL"
    @Option(help: "Mean answers per session.") var answersPerSession = 8
    @Option(help: "Last day with answers (YYYY-MM-DD, default yesterday).") var lastDay: String?
    @Option(help: "Write the attempts as gzip NDJSON files of --batch-size records here instead of into a database.")
    var ndjsonOut: String?
    @Option(help: "Attempts per transaction (or per file with --ndjson-out).") var batchSize = 100_000
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard learners > 0, items > 0, days > 0 else {
            throw ValidationError("--learners, --items and --days must be > 0")
        }
        guard IRTModel(rawValue: model.uppercased()) == .twoPL || IRTModel(rawValue: model.uppercased()) == .threePL
        else {
            throw ValidationError("--model must be 2PL or 3PL")
        }
        if let lastDay, Day(iso: lastDay) == nil { throw ValidationError("--last-day must be YYYY-MM-DD") }
    }

    func run() throws {
        let logger = bootstrapLogging(level: .info)
        var options = DemoDataOptions()
        options.learners = learners
        options.items = items
        options.days = days
        options.seed = seed
        options.model = IRTModel(rawValue: model.uppercased())!
        options.answersPerSession = answersPerSession
        if let lastDay { options.lastDay = Day(iso: lastDay)! }
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
