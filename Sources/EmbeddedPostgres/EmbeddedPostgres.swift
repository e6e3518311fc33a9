import Foundation
import Glibc
import Logging
import Postgres

/// A private PostgreSQL cluster run from the installed server programs: created on first use, reachable only through
/// a unix socket in its own directory (no TCP port), run as `postgres` when this process is root, and stopped with
/// the service. One process at a time may use a cluster directory (an exclusive lock file); a cluster left running
/// by a process that crashed is stopped and restarted.
public final class EmbeddedPostgres: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Where the cluster lives (`data/`, `postgres.log`, the socket directory, the lock file).
        public var directory: String
        public var databaseName = "seedtest"
        /// Fast, non-durable settings for test clusters (no fsync, no full-page writes).
        public var throwaway = false

        public init(directory: String, databaseName: String = "seedtest", throwaway: Bool = false) {
            self.directory = directory
            self.databaseName = databaseName
            self.throwaway = throwaway
        }
    }

    public let configuration: Configuration
    private let logger: Logger
    private let runner: CommandRunner
    private let binaries: PostgresBinaries
    private var layout: ClusterLayout?
    private var lockDescriptor: Int32 = -1
    private var running = false

    public init(configuration: Configuration, logger: Logger) throws(EmbeddedPostgresError) {
        self.configuration = configuration
        self.logger = logger
        self.runner = try CommandRunner.forCurrentUser()
        self.binaries = try PostgresBinaries.locate()
    }

    /// The connection string of the service's database once started.
    public private(set) var connectionString = ""

    /// The cluster's data directory once started (its `postmaster.pid` names the server process).
    public var dataDirectory: String? { layout?.dataDirectory }

    /// Starts the cluster (creating it on first use) and the service database, and returns its connection string.
    @discardableResult
    public func start() throws(EmbeddedPostgresError) -> String {
        let layout = try ClusterLayout.prepare(root: configuration.directory, runner: runner)
        self.layout = layout
        try lockExclusively(layout.lockFile)
        if !FileManager.default.fileExists(atPath: layout.dataDirectory + "/PG_VERSION") {
            try initialize(layout)
        }
        try writeSettings(layout)
        try stopStaleServer(layout)
        logger.info("starting embedded PostgreSQL", metadata: ["data": "\(layout.dataDirectory)"])
        try runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-l", layout.logFile, "-w", "-t", "60", "start"])
        running = true
        let server = ConnectionString.keywordForm(host: layout.socketDirectory, database: "postgres")
        try createDatabaseIfMissing(server: server)
        connectionString = ConnectionString.keywordForm(
            host: layout.socketDirectory, database: configuration.databaseName)
        return connectionString
    }

    /// Stops the server (fast shutdown: sessions are disconnected, no recovery needed) and, for a throwaway cluster,
    /// removes its files.
    public func stop() {
        guard let layout else { return }
        if running {
            do {
                try runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-m", "fast", "-w", "-t", "30", "stop"])
            } catch {
                logger.error("stopping embedded PostgreSQL failed", metadata: ["error": "\(error)"])
            }
            running = false
        }
        if configuration.throwaway {
            try? FileManager.default.removeItem(atPath: layout.root)
            if layout.socketDirectory.hasPrefix("/tmp/seedtest-sock-") {
                try? FileManager.default.removeItem(atPath: layout.socketDirectory)
            }
        }
        if lockDescriptor >= 0 {
            close(lockDescriptor)
            lockDescriptor = -1
        }
        self.layout = nil
    }

    /// Drops the state directory's lock while leaving the server running: what a crash of this process looks like to
    /// the next one. For tests of stale-cluster recovery.
    public func releaseLockForTesting() {
        if lockDescriptor >= 0 {
            close(lockDescriptor)
            lockDescriptor = -1
        }
        running = false
        layout = nil
    }

    /// Restarts the server process (for tests of recovery after a database restart).
    public func restart() throws(EmbeddedPostgresError) {
        guard let layout else { throw EmbeddedPostgresError("the embedded cluster is not started") }
        try runner.run(
            binaries.pgCtl, ["-D", layout.dataDirectory, "-l", layout.logFile, "-m", "fast", "-w", "restart"])
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: backends quit at once, no checkpoint, recovery
    /// at the next start), keeping its files; `startAgain()` brings it back. For fault tests.
    public func stopImmediately() throws(EmbeddedPostgresError) {
        guard let layout else { throw EmbeddedPostgresError("the embedded cluster is not started") }
        try runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"])
    }

    /// Starts the server again after `stopImmediately()`.
    public func startAgain() throws(EmbeddedPostgresError) {
        guard let layout else { throw EmbeddedPostgresError("the embedded cluster is not started") }
        try runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-l", layout.logFile, "-w", "-t", "60", "start"])
    }

    private func lockExclusively(_ path: String) throws(EmbeddedPostgresError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw EmbeddedPostgresError("cannot open lock file \(path)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            close(descriptor)
            throw EmbeddedPostgresError(
                "the state directory \(configuration.directory) is in use by another seedtest-pipelines process"
                    + (holder.map { $0.isEmpty ? "" : " (pid \($0))" } ?? "")
                    + "; stop it or choose another --state-dir")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        lockDescriptor = descriptor
    }

    private func initialize(_ layout: ClusterLayout) throws(EmbeddedPostgresError) {
        logger.info("creating embedded PostgreSQL cluster", metadata: ["data": "\(layout.dataDirectory)"])
        try? FileManager.default.removeItem(atPath: layout.dataDirectory)
        var arguments = ["-D", layout.dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"]
        if configuration.throwaway { arguments.append("--no-sync") }
        try runner.run(binaries.initdb, arguments)
        let mainConfiguration = layout.dataDirectory + "/postgresql.conf"
        guard let handle = FileHandle(forWritingAtPath: mainConfiguration) else {
            throw EmbeddedPostgresError("cannot edit \(mainConfiguration)")
        }
        handle.seekToEndOfFile()
        handle.write(Data("\ninclude_if_exists = 'seedtest.conf'\n".utf8))
        handle.closeFile()
    }

    /// The settings this service relies on, rewritten at every start (the socket directory may move).
    private func writeSettings(_ layout: ClusterLayout) throws(EmbeddedPostgresError) {
        var lines = [
            "listen_addresses = ''",
            "unix_socket_directories = '\(layout.socketDirectory)'",
            "unix_socket_permissions = 0700",
            "port = 5432",
            "max_connections = \(configuration.throwaway ? 400 : 100)",
            "shared_buffers = '256MB'",
            "work_mem = '64MB'",
            "maintenance_work_mem = '256MB'",
            "max_wal_size = '4GB'",
            "wal_buffers = '64MB'",
            "synchronous_commit = off",
            "log_min_messages = warning",
            "timezone = 'UTC'",
        ]
        if configuration.throwaway {
            lines += ["fsync = off", "full_page_writes = off", "shared_buffers = '128MB'", "wal_buffers = '4MB'"]
        }
        let path = layout.dataDirectory + "/seedtest.conf"
        do {
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw EmbeddedPostgresError("cannot write \(path): \(error)")
        }
        runner.takeOwnership(of: path)
    }

    /// A server still running on this data directory can only be left over from a process that crashed, since we
    /// hold the directory's lock: stop it so that it restarts with our settings.
    private func stopStaleServer(_ layout: ClusterLayout) throws(EmbeddedPostgresError) {
        let pidFile = layout.dataDirectory + "/postmaster.pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ Int32($0) })
        else { return }
        guard kill(pid, 0) == 0 else { return }
        logger.warning("stopping a PostgreSQL left running by a crashed process", metadata: ["pid": "\(pid)"])
        try runner.run(binaries.pgCtl, ["-D", layout.dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    private func createDatabaseIfMissing(server: String) throws(EmbeddedPostgresError) {
        do {
            let connection = try PostgresConnection(connectionString: server)
            defer { connection.close() }
            let exists: Bool = try connection.query(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = \(configuration.databaseName))"
            )[0].decode(0)
            if !exists {
                try connection.execute(
                    "CREATE DATABASE \(identifier: configuration.databaseName)")
            }
        } catch {
            throw EmbeddedPostgresError(
                "cannot create database \(configuration.databaseName): \(error.debugDescription)")
        }
    }
}
