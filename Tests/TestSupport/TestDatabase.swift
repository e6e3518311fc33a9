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
        try create(on: TestCluster.shared(), poolSize: poolSize)
    }

    /// Creates a database on a cluster of its own, for tests that restart the server (which would disturb every
    /// other test on the shared one). Not available with TEST_DATABASE_URL.
    public static func createOnDedicatedServer(poolSize: Int = 4) throws -> TestDatabase {
        try create(on: TestCluster.dedicated(), poolSize: poolSize)
    }

    static func create(on server: TestCluster, poolSize: Int) throws -> TestDatabase {
        let name = try server.createDatabase()
        let pool = PostgresPool(
            configuration: .init(
                connectionString: server.connectionString, database: name, size: poolSize, acquireTimeout: 10),
            logger: TestServer.quietLogger)
        return TestDatabase(name: name, server: server, pool: pool)
    }

    let server: TestCluster

    init(name: String, server: TestCluster, pool: PostgresPool) {
        self.name = name
        self.server = server
        self.serverConnectionString = server.connectionString
        self.pool = pool
    }

    /// A connection string naming this database, in the form of the server's (URI or key=value).
    public var connectionString: String {
        if serverConnectionString.hasPrefix("postgres://") || serverConnectionString.hasPrefix("postgresql://") {
            let (base, query) = Self.split(serverConnectionString, at: "?")
            let schemeEnd = base.range(of: "://")!.upperBound
            let authority = base[schemeEnd...].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
            return String(base[..<schemeEnd]) + authority + "/" + name + (query.map { "?" + $0 } ?? "")
        }
        return serverConnectionString + " dbname=\(name)"
    }

    static func split(_ text: String, at separator: Character) -> (String, String?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }

    /// Restarts the database server this database lives on (use with `createOnDedicatedServer`).
    public func restartServer() throws {
        try server.restart()
    }

    /// Stops the server this database lives on as a crash would (`pg_ctl stop -m immediate`); use with
    /// `createOnDedicatedServer`, and `startServer()` afterwards.
    public func stopServerImmediately() throws {
        guard let embedded = server.embedded else { throw TestClientError("needs the embedded test cluster") }
        try embedded.stopImmediately()
    }

    /// Starts the server again after `stopServerImmediately()`.
    public func startServer() throws {
        guard let embedded = server.embedded else { throw TestClientError("needs the embedded test cluster") }
        try embedded.startAgain()
    }

    /// A separate connection to this database (for tests of locks and concurrency).
    public func connect() throws -> PostgresConnection {
        try PostgresConnection(connectionString: serverConnectionString, database: name)
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
    /// Clusters started for tests that restart their server, one per test; all stopped at exit.
    private static let dedicatedInstances = Mutex<[TestCluster]>([])

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

    /// A new embedded cluster for one test that restarts its server (so that it disturbs no other test).
    static func dedicated() throws -> TestCluster {
        let cluster = try start(allowExternal: false)
        let first = dedicatedInstances.withLock { clusters in
            clusters.append(cluster)
            return clusters.count == 1
        }
        if first { atexit { TestCluster.stopAtExit() } }
        return cluster
    }

    private static func start(allowExternal: Bool = true) throws -> TestCluster {
        let logger = TestServer.quietLogger
        let cluster: TestCluster
        if allowExternal, let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty {
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
        try admin.execute("DROP DATABASE IF EXISTS \(identifier: Self.templateName)")
        try admin.execute("CREATE DATABASE \(identifier: Self.templateName)")
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
            try admin.execute("CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: Self.templateName)")
        }
        return name
    }

    func restart() throws {
        guard let embedded else { throw TestClientError("restart needs the embedded test cluster") }
        try embedded.restart()
    }

    static func stopAtExit() {
        for cluster in [instance.withLock { $0 }].compactMap({ $0 }) + dedicatedInstances.withLock({ $0 }) {
            cluster.embedded?.stop()
            if let directory = cluster.directory { try? FileManager.default.removeItem(atPath: directory) }
        }
    }
}
