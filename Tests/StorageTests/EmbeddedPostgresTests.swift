import EmbeddedPostgres
import Foundation
import Glibc
import Postgres
import TestSupport
import Testing

/// The embedded cluster: created on first use, one process per state directory, a crashed run's server recovered.
@Suite(.serialized, .ownThreads) struct EmbeddedPostgresTests {
    func temporaryDirectory() -> String {
        var template = Array("/tmp/seedtest-embedded-XXXXXX".utf8CString)
        let path = String(cString: mkdtemp(&template)!)
        chmod(path, 0o755)
        return path
    }

    /// Whether a process exists and is not a zombie (an orphan stays one where PID 1 does not reap).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    @Test func oneUserPerStateDirectoryAndRestartAfterStop() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try EmbeddedPostgres(configuration: .init(directory: directory), logger: TestServer.quietLogger)
        let url = try first.start()
        let connection = try PostgresConnection(connectionString: url)
        #expect(try connection.query("SELECT current_database()")[0].decode(0, as: String.self) == "seedtest")
        connection.close()
        #expect(url.contains("host="), "a unix socket, no TCP port")
        let second = try EmbeddedPostgres(configuration: .init(directory: directory), logger: TestServer.quietLogger)
        do {
            try second.start()
            Issue.record("a second user of the state directory must be refused")
        } catch {
            #expect(error.description.contains("in use by another seedtest-pipelines process"))
        }
        first.stop()
        // Data survives a restart.
        let again = try EmbeddedPostgres(configuration: .init(directory: directory), logger: TestServer.quietLogger)
        let reconnect = try PostgresConnection(connectionString: try again.start())
        #expect(try reconnect.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
        reconnect.close()
        again.stop()
    }

    @Test func aServerLeftByACrashedProcessIsRecovered() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Simulate a crash: the service's lock is gone (its process died) but its PostgreSQL still runs.
        let crashed = try EmbeddedPostgres(configuration: .init(directory: directory), logger: TestServer.quietLogger)
        try crashed.start()
        let pidFile = try String(contentsOfFile: directory + "/postgres/data/postmaster.pid", encoding: .utf8)
        let stalePID = Int32(pidFile.split(separator: "\n")[0])!
        crashed.releaseLockForTesting()
        let recovered = try EmbeddedPostgres(configuration: .init(directory: directory), logger: TestServer.quietLogger)
        let connection = try PostgresConnection(connectionString: try recovered.start())
        #expect(try connection.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
        connection.close()
        #expect(!Self.isAlive(stalePID), "the stale server was stopped and a new one started")
        recovered.stop()
    }
}
