import ArgumentParser
import EmbeddedPostgres
import Foundation
import Logging
import Postgres
import Service
import Storage

/// Where the database is: `--database-url` (or DATABASE_URL), else the embedded cluster in `--state-dir`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $DATABASE_URL, else an embedded cluster in the state directory).")
    var databaseURL: String?

    @Option(help: "Directory for the embedded PostgreSQL cluster (default: $SEEDTEST_STATE_DIR or ./.seedtest).")
    var stateDir: String?

    /// Opens a pool (starting the embedded cluster when needed), runs `body`, and closes everything.
    func withPool<Result>(logger: Logger, _ body: (PostgresPool) throws -> Result) throws -> Result {
        let environment = ProcessInfo.processInfo.environment
        let url = databaseURL ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var embedded: EmbeddedPostgres?
        let connectionString: String
        if let url {
            connectionString = url
        } else {
            let directory = stateDir ?? environment["SEEDTEST_STATE_DIR"] ?? ".seedtest"
            let cluster = try EmbeddedPostgres(configuration: .init(directory: directory), logger: logger)
            connectionString = try cluster.start()
            embedded = cluster
        }
        let pool = PostgresPool(configuration: .init(connectionString: connectionString, size: 4), logger: logger)
        defer {
            pool.close()
            embedded?.stop()
        }
        return try body(pool)
    }
}

/// `seedtest-pipelines migrate`: applies the schema migrations and exits.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the database schema migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = bootstrapLogging(level: .info)
        try database.withPool(logger: logger) { pool in
            let applied = try Migrator.migrate(pool, logger: logger)
            print(
                applied.isEmpty
                    ? "schema is up to date (version \(Migrations.latestVersion))"
                    : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
