import ArgumentParser
import Logfmt
import Logging

/// The command-line entry point: argument parsing and start-up only; the work lives in the libraries.
@main
struct SeedtestPipelines: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seedtest-pipelines",
        abstract:
            "Nightly learning analytics as an HTTP service: KPIs, features, IRT calibration, inactivity, reports.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, RunCommand.self, DemoDataCommand.self, IRTCommand.self,
            BenchServerCommand.self, BackfillCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// Sets up one-line logfmt logging on standard error.
func bootstrapLogging(level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
    return Logger(label: "seedtest-pipelines")
}
