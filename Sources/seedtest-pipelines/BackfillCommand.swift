import ArgumentParser
import Foundation
import Glibc
import JSON
import Logfmt
import Logging
import Pipelines
import Service
import Storage
import UTCTime

/// `seedtest-pipelines backfill --from … --to …`: replays the nightly schedule over a range of days through the same
/// backfill driver as `POST /v1/backfills` (same lock, same records), shows its progress on standard error (a bar on a
/// terminal, a line per day otherwise), prints a summary and exits non-zero unless it succeeded.
struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill", abstract: "Replay the nightly schedule over a range of days and wait for it.",
        discussion: """
            Each day: aggregate-features-daily, calibrate-irt (every --calibrate-every-days days and on the last \
            day), compute-daily-kpis, and after a Sunday generate-weekly-report; each an ordinary run.
            """)

    @Option(help: "The first day to replay (YYYY-MM-DD).") var from: String
    @Option(help: "The last day to replay (YYYY-MM-DD); default yesterday.") var to: String?
    @Option(name: .customLong("stage"), help: "Only this stage of the schedule (repeatable); default all four.")
    var stages: [String] = []
    @Option(help: "Calibrate every this many days (and on the last day); default 7.") var calibrateEveryDays: Int?
    @Flag(help: "Every run computes everything and writes only its run record.") var dryRun = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let request = try Self.parse(body())
        let configuration = try database.configuration()
        let logger = bootstrapLogging(level: configuration.logLevel)
        let record = try database.withPool(configuration, logger: logger) { pool in
            try Migrator.migrate(pool, logger: logger)
            let runner = PipelineRunner(
                database: .init(connectionString: pool.configuration.connectionString),
                services: StageServices.configured(configuration, logger: logger), logger: logger)
            let handle = try Backfiller(runner: runner, logger: logger).start(request)
            return Self.watch(handle)
        }
        LogSink.standardError.flush()
        let summary =
            "backfill \(record.backfillID): \(record.daysDone) of \(record.daysTotal) days, "
            + "\(record.runIDs.count) runs"
        guard record.status == .succeeded else {
            print("\(summary), \(record.status.rawValue): \(record.error ?? "no reason recorded")")
            throw ExitCode.failure
        }
        print("\(summary), succeeded")
    }

    /// The request, or a usage error naming the bad option's field.
    static func parse(_ body: JSONObject) throws -> BackfillRequest {
        let result = Result { () throws(ParameterError) -> BackfillRequest in
            try BackfillRequest.parse(body: body, today: Day.today())
        }
        switch result {
        case .success(let request): return request
        case .failure(let error): throw ValidationError(error.message)
        }
    }

    func body() -> JSONObject {
        var object = JSONObject([("from", .string(from))])
        if let to { object["to"] = .string(to) }
        if !stages.isEmpty { object["stages"] = .array(stages.map(JSONValue.string)) }
        if let calibrateEveryDays { object["calibrate_every_days"] = .int(Int64(calibrateEveryDays)) }
        if dryRun { object["dry_run"] = true }
        return object
    }

    /// Waits for the backfill, showing its progress on standard error; returns its final record.
    static func watch(_ handle: BackfillHandle) -> BackfillRecord {
        let terminal = isatty(STDERR_FILENO) == 1
        var shown = (days: -1, run: Int64(-1))
        while true {
            let finished = handle.wait(seconds: 0.2)
            let record = handle.record
            let now = (days: record.daysDone, run: record.currentRunID ?? 0)
            if now != shown {
                shown = now
                let line = progressLine(record, width: terminal ? 30 : 0)
                FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
            }
            if finished {
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                return record
            }
        }
    }

    /// `[#####-----] 5/14 days, run 37` (without the bar when `width` is 0).
    static func progressLine(_ record: BackfillRecord, width: Int) -> String {
        let total = max(1, record.daysTotal)
        var line = "backfill \(record.backfillID): \(record.daysDone)/\(record.daysTotal) days"
        if let run = record.currentRunID { line += ", run \(run)" }
        guard width > 0 else { return line }
        let filled = width * record.daysDone / total
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " + line
    }
}
