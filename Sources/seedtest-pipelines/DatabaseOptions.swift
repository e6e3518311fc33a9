import ArgumentParser
import Logging
import Postgres
import Service
import Storage

/// Where the database is: `--database-url` (or DATABASE_URL), else the embedded cluster in `--state-dir`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: settingHelp("database-url")) var databaseURL: String?
    @Option(help: settingHelp("state-dir")) var stateDir: String?

    /// The environment with these flags over it, checked as `serve` checks it.
    func configuration() throws -> ServiceConfiguration {
        var flags: [String: String] = [:]
        flags["database-url"] = databaseURL
        flags["state-dir"] = stateDir
        return try resolveConfiguration(flags: flags)
    }

    /// Opens a pool of four connections (starting the embedded cluster when needed), runs `body`, and closes
    /// everything.
    func withPool<Result>(
        _ configuration: ServiceConfiguration, logger: Logger, _ body: (PostgresPool) throws -> Result
    ) throws -> Result {
        try DevelopmentDatabase.withConnectionString(configuration, logger: logger) { connectionString in
            let pool = PostgresPool(configuration: .init(connectionString: connectionString, size: 4), logger: logger)
            defer { pool.close() }
            return try body(pool)
        }
    }
}

/// `seedtest-pipelines migrate`: applies the schema migrations and exits.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database schema migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let configuration = try database.configuration()
        let logger = bootstrapLogging(level: .info)
        try database.withPool(configuration, logger: logger) { pool in
            let applied = try Migrator.migrate(pool, logger: logger)
            print(
                applied.isEmpty
                    ? "schema is up to date (version \(Migrations.latestVersion))"
                    : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
