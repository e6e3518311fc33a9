import Postgres
import TestSupport
import Testing

/// Every connection says what it is in `application_name`, as `pg_stat_activity` shows it.
@Suite(.ownThreads) struct ApplicationNameTests {
    /// The application name of `connection`'s backend as another session sees it in `pg_stat_activity`.
    private func nameSeenFromOutside(_ connection: PostgresConnection, database: TestDatabase) throws -> String? {
        let pid: Int = try connection.query("SELECT pg_backend_pid()")[0].decode(0)
        let observer = try database.connect()
        defer { observer.close() }
        let result = try observer.query("SELECT application_name FROM pg_stat_activity WHERE pid = \(pid)")
        return result.rowCount == 1 ? try result[0].decode(0) : nil
    }

    @Test func connectionsAndPoolsNameThemselves() throws {
        let database = try TestDatabase.create()
        let plain = try database.connect()
        defer { plain.close() }
        #expect(try nameSeenFromOutside(plain, database: database) == "seedtest-pipelines")

        let named = try PostgresConnection(
            connectionString: database.serverConnectionString, database: database.name, applicationName: "a b 7")
        defer { named.close() }
        #expect(try nameSeenFromOutside(named, database: database) == "a b 7")
        try named.setApplicationName("seedtest-pipelines run 42 compute-daily-kpis")
        #expect(try nameSeenFromOutside(named, database: database) == "seedtest-pipelines run 42 compute-daily-kpis")

        let pool = PostgresPool(
            configuration: .init(connectionString: database.serverConnectionString, database: database.name, size: 1),
            logger: TestServer.quietLogger)
        defer { pool.close() }
        let pooled = try pool.withConnection { try nameSeenFromOutside($0, database: database) }
        #expect(pooled == "seedtest-pipelines pool")
    }
}
