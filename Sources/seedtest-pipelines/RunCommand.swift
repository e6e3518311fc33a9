import ArgumentParser
import Foundation
import JSON
import Logfmt
import Logging
import Pipelines
import Service
import Storage
import UTCTime

/// `seedtest-pipelines run <stage>`: runs a stage once through the same runner as the HTTP route (same lock, same
/// run record), prints a one-line summary and exits non-zero when the run fails.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one pipeline stage now and wait for it.",
        discussion: "Stages: \(Stage.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Argument(help: "The stage to run.") var stage: String
    @Option(help: "Run date (YYYY-MM-DD): as_of for KPIs, the last day for features.") var date: String?
    @Option(help: "Days of history to consider.") var lookbackDays: Int?
    @Option(name: .customLong("user-id"), help: "Only this learner (repeatable; compute-daily-kpis).")
    var userIDs: [String] = []
    @Option(help: "detect-inactivity: days without answers before a learner is inactive.") var thresholdDays: Int?
    @Option(help: "detect-inactivity: days after which a learner is dormant instead.") var maxDays: Int?
    @Option(help: "Any other parameters as a JSON object, as the route takes them.") var params: String?
    @Flag(help: "Compute everything, write only the run record.") var dryRun = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let stage = Stage(rawValue: stage) else {
            throw ValidationError(
                "unknown stage '\(self.stage)'; stages are \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let request: StageRequest
        do {
            request = try StageRequest.parse(stage: stage, body: try body(), today: Day.today())
        } catch let error as ParameterError {
            throw ValidationError(error.message)
        }
        let configuration = try database.configuration()
        do {
            try configuration.validateWebhook()
        } catch {
            FileHandle.standardError.write(Data("seedtest-pipelines: invalid configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let logger = bootstrapLogging(level: configuration.logLevel, format: configuration.logFormat)
        let record = try database.withPool(configuration, logger: logger) { pool in
            try Migrator.migrate(pool, logger: logger)
            let runner = PipelineRunner(
                database: .init(connectionString: pool.configuration.connectionString),
                services: StageServices.configured(configuration, logger: logger), logger: logger)
            return try runner.run(request)
        }
        LogSink.standardError.flush()
        let counts = JSONValue.object(record.counts).jsonText
        switch record.status {
        case .succeeded:
            print(
                "run \(record.runID) \(stage.rawValue) succeeded in \(record.durationMilliseconds ?? 0) ms: \(counts)")
        case .cancelled:
            print("run \(record.runID) \(stage.rawValue) cancelled: \(record.error ?? "no reason recorded")")
            throw ExitCode.failure
        default:
            print("run \(record.runID) \(stage.rawValue) failed: \(record.error ?? "unknown error")")
            throw ExitCode.failure
        }
    }

    /// The parameters as the route would receive them: `--params` first, then the specific flags.
    func body() throws -> JSONObject {
        var object = JSONObject()
        if let params {
            guard let parsed = try? JSONParser.parse(params), let given = parsed.objectValue else {
                throw ValidationError("--params must be a JSON object")
            }
            object = given
        }
        if let date { object["date"] = .string(date) }
        if let lookbackDays { object["lookback_days"] = .int(Int64(lookbackDays)) }
        if !userIDs.isEmpty { object["user_ids"] = .array(userIDs.map(JSONValue.string)) }
        if let thresholdDays { object["threshold_days"] = .int(Int64(thresholdDays)) }
        if let maxDays { object["max_days"] = .int(Int64(maxDays)) }
        if dryRun { object["dry_run"] = true }
        return object
    }
}
