import ArgumentParser
import Logfmt
import Logging
import Pipelines

/// The command-line entry point: argument parsing and start-up only; the work lives in the libraries.
@main
struct SeedtestPipelines: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seedtest-pipelines",
        abstract:
            "Nightly learning analytics as an HTTP service: KPIs, features, IRT calibration, inactivity, reports.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, RunCommand.self, DemoDataCommand.self, IRTCommand.self,
            BenchServerCommand.self, BenchFloorCommand.self, BenchEncodeAttemptsCommand.self, BackfillCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    /// Limits malloc's arenas before any thread exists (glibc fixes the limit once it has made its first extra
    /// arenas), then parses the command line and runs the command.
    static func main() {
        RunMemory.limitArenas()
        main(nil)
    }
}

/// Sets up one-line logging on standard error, logfmt or JSON (`LOG_FORMAT`); every line written on a run's thread
/// carries its run id and stage (`RunLogMetadata`).
func bootstrapLogging(level: Logger.Level, format: String = "logfmt") -> Logger {
    LoggingSystem.bootstrap(
        { label, provider -> any LogHandler in
            if format == "json" { return JSONLogHandler(label: label, level: level, metadataProvider: provider) }
            return LogfmtLogHandler(label: label, level: level, metadataProvider: provider)
        }, metadataProvider: RunLogMetadata.provider)
    return Logger(label: "seedtest-pipelines")
}
