import Logging
import Postgres

/// Why migrating failed in a way an operator must resolve.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Applies the compiled-in migrations. Replicas starting together serialise on an advisory lock, so each migration
/// runs once; each runs in its own transaction and is recorded in `schema_migrations`.
public enum Migrator {
    static let lockKey = AdvisoryLockKey(namespace: StorageLocks.namespace, name: "schema-migrations")

    /// Brings the schema up to date and returns the versions applied now. Refuses a database whose schema is newer
    /// than this binary knows.
    @discardableResult
    public static func migrate(_ pool: PostgresPool, logger: Logger) throws -> [Int] {
        try pool.withConnection { connection in
            try connection.advisoryLock(lockKey)
            defer { try? connection.advisoryUnlock(lockKey) }
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = try appliedVersions(connection)
            if let newest = applied.max(), newest > Migrations.latestVersion {
                throw MigrationError(
                    description: "the database schema is at version \(newest) but this binary knows only up to "
                        + "\(Migrations.latestVersion); run a newer seedtest-pipelines")
            }
            var appliedNow: [Int] = []
            for migration in Migrations.all where !applied.contains(migration.version) {
                try connection.transaction {
                    // A compiled-in constant of this program: raw SQL by design.
                    try connection.execute(PostgresQuery(unsafeSQL: migration.sql))
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
                    )
                }
                logger.info(
                    "applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
    }

    /// The schema version of the database (0 when never migrated).
    public static func currentVersion(_ connection: PostgresConnection) throws -> Int {
        let exists: Bool = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].decode(0)
        guard exists else { return 0 }
        return try appliedVersions(connection).max() ?? 0
    }

    static func appliedVersions(_ connection: PostgresConnection) throws -> Set<Int> {
        Set(try connection.query("SELECT version FROM schema_migrations").rows.map { try $0.decode(0, as: Int.self) })
    }
}

/// The advisory-lock namespace of this service ("SEED" in ASCII).
public enum StorageLocks {
    public static let namespace: Int32 = 0x5345_4544
}
