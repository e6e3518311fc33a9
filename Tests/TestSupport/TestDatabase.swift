import EmbeddedPostgres
import Foundation
import Glibc
import Logging
import Postgres
import Storage
import Synchronization

/// A fresh, migrated database for one test. The server is `TEST_DATABASE_URL` when set, otherwise one throwaway
/// embedded cluster per test process (started on first use, removed at exit). Each database is cloned from a
/// migrated template, which takes a few milliseconds.
public final class TestDatabase: Sendable {
    public let name: String
    public let serverConnectionString: String
    public let pool: PostgresPool

    /// Creates a new database for the calling test.
    public static func create(poolSize: Int = 4) throws -> TestDatabase {
        let server = try TestCluster.shared()
        let name = try server.createDatabase()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: server.connectionString, database: name, size: poolSize, acquireTimeout: 10),
            logger: TestServer.quietLogger)
        return TestDatabase(name: name, serverConnectionString: server.connectionString, pool: pool)
    }

    init(name: String, serverConnectionString: String, pool: PostgresPool) {
        self.name = name
        self.serverConnectionString = serverConnectionString
        self.pool = pool
    }

    /// A separate connection to this database (for tests of locks and concurrency).
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(connectionString: serverConnectionString, database: name)
    }

    /// Restarts the embedded server (not available with TEST_DATABASE_URL).
    public static func restartServer() throws {
        try TestCluster.shared().restart()
    }

    deinit { pool.close() }
}

/// The one database server of a test process.
final class TestCluster: Sendable {
    let connectionString: String
    let embedded: EmbeddedPostgres?
    /// The temporary directory of the embedded cluster, removed at exit.
    let directory: String?
    private let counter = Mutex<Int>(0)
    private let creation = Mutex<Void>(())
    static let templateName = "seedtest_template"
    private static let instance = Mutex<TestCluster?>(nil)

    init(connectionString: String, embedded: EmbeddedPostgres?, directory: String? = nil) {
        self.connectionString = connectionString
        self.embedded = embedded
        self.directory = directory
    }

    static func shared() throws -> TestCluster {
        try instance.withLock { current in
            if let current { return current }
            let cluster = try start()
            current = cluster
            atexit { TestCluster.stopAtExit() }
            return cluster
        }
    }

    private static func start() throws -> TestCluster {
        let logger = TestServer.quietLogger
        let cluster: TestCluster
        if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty {
            cluster = TestCluster(connectionString: url, embedded: nil)
        } else {
            var template = Array("/tmp/seedtest-test-XXXXXX".utf8CString)
            guard let path = mkdtemp(&template) else { throw TestClientError("mkdtemp failed") }
            let directory = String(cString: path)
            chmod(directory, 0o755)
            let embedded = try EmbeddedPostgres(
                configuration: .init(directory: directory, databaseName: "postgres", throwaway: true), logger: logger)
            try embedded.start()
            cluster = TestCluster(
                connectionString: embedded.connectionString, embedded: embedded, directory: directory)
        }
        try cluster.prepareTemplate(logger: logger)
        return cluster
    }

    private func prepareTemplate(logger: Logger) throws {
        let admin = try PostgresConnection(connectionString: connectionString)
        defer { admin.close() }
        try admin.execute("DROP DATABASE IF EXISTS \(Self.templateName)")
        try admin.execute("CREATE DATABASE \(Self.templateName)")
        let pool = PostgresPool(
            configuration: .init(connectionString: connectionString, database: Self.templateName, size: 1),
            logger: logger)
        defer { pool.close() }
        try Migrator.migrate(pool, logger: logger)
    }

    /// Clones the template into a new database and returns its name. Clones are serialised: PostgreSQL refuses to
    /// copy a template that another clone is reading.
    func createDatabase() throws -> String {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let name = "test_\(getpid())_\(number)"
        try creation.withLock { _ in
            let admin = try PostgresConnection(connectionString: connectionString)
            defer { admin.close() }
            try admin.execute("CREATE DATABASE \(name) TEMPLATE \(Self.templateName)")
        }
        return name
    }

    func restart() throws {
        guard let embedded else { throw TestClientError("restart needs the embedded test cluster") }
        try embedded.restart()
    }

    static func stopAtExit() {
        let cluster = instance.withLock { $0 }
        cluster?.embedded?.stop()
        if let directory = cluster?.directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}
