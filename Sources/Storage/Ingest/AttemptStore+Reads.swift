import Postgres

extension AttemptStore {
    /// Whether any attempt is stored.
    public static func hasAttempts(_ connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT EXISTS (SELECT 1 FROM attempts)")[0].decode(0)
    }
}
