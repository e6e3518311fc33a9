import EmbeddedPostgres
import Logging
import Service

/// The one place a command gets its database: `databaseURL` when configured, else the embedded PostgreSQL cluster in
/// the state directory, started for the duration of `body` and stopped after it (also when `body` throws).
enum DevelopmentDatabase {
    static func withConnectionString<Result>(
        _ configuration: ServiceConfiguration, logger: Logger, _ body: (String) throws -> Result
    ) throws -> Result {
        if let url = configuration.databaseURL { return try body(url) }
        let cluster = try EmbeddedPostgres(
            configuration: .init(directory: configuration.stateDirectory), logger: logger)
        let connectionString = try cluster.start()
        defer { cluster.stop() }
        return try body(connectionString)
    }
}
