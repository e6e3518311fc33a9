import Foundation
import Glibc

/// Where a cluster's files go. The data directory sits under the state directory unless the `postgres` user cannot
/// reach it (a parent that is not traversable), in which case it moves under `/var/tmp`; the socket directory moves
/// under `/tmp` when its path would exceed the 107-byte limit of unix socket paths.
struct ClusterLayout {
    let root: String
    let dataDirectory: String
    let socketDirectory: String
    let logFile: String
    let lockFile: String

    static func prepare(root requested: String, runner: CommandRunner) throws(EmbeddedPostgresError) -> ClusterLayout {
        let stateDirectory = absolute(requested)
        try makeDirectory(stateDirectory, mode: 0o755)
        var root = stateDirectory + "/postgres"
        try makeDirectory(root, mode: 0o700)
        runner.takeOwnership(of: root)
        if !runner.canWrite(root) {
            root = "/var/tmp/seedtest-pipelines-\(shortHash(stateDirectory))"
            try makeDirectory(root, mode: 0o700)
            runner.takeOwnership(of: root)
            guard runner.canWrite(root) else {
                throw EmbeddedPostgresError("the postgres user cannot write to \(stateDirectory) or \(root)")
            }
        }
        var socketDirectory = root + "/run"
        if socketDirectory.utf8.count + "/.s.PGSQL.5432".utf8.count > 100 {
            socketDirectory = "/tmp/seedtest-sock-\(shortHash(root))"
        }
        try makeDirectory(socketDirectory, mode: 0o700)
        runner.takeOwnership(of: socketDirectory)
        return ClusterLayout(
            root: root, dataDirectory: root + "/data", socketDirectory: socketDirectory,
            logFile: root + "/postgres.log", lockFile: stateDirectory + "/cluster.lock")
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }

    static func makeDirectory(_ path: String, mode: Int) throws(EmbeddedPostgresError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw EmbeddedPostgresError("cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// Eight hex digits identifying a path (FNV-1a), for fallback directory names.
    static func shortHash(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
