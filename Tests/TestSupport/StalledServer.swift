import Foundation
import Glibc

/// A database server that stops answering without closing anything, as a hung or frozen host does: the postmaster
/// and every backend of a dedicated test cluster are sent SIGSTOP, and SIGCONT afterwards whatever happens, so a test
/// can never leave a stopped cluster behind.
extension TestDatabase {
    /// Runs `body` while the server is stopped (use with `createOnDedicatedServer`).
    public func withServerStalled<Result>(_ body: () throws -> Result) throws -> Result {
        guard let directory = server.embedded?.dataDirectory else {
            throw TestClientError("stalling needs the embedded test cluster")
        }
        let postmaster = try Self.postmasterPID(dataDirectory: directory)
        // The postmaster first, so that it forks no backend the list below would miss.
        kill(postmaster, SIGSTOP)
        let backends = Self.children(of: postmaster)
        defer {
            for pid in backends { kill(pid, SIGCONT) }
            kill(postmaster, SIGCONT)
        }
        for pid in backends { kill(pid, SIGSTOP) }
        return try body()
    }

    /// The first line of `postmaster.pid`.
    static func postmasterPID(dataDirectory: String) throws -> pid_t {
        let text = try String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8)
        guard let line = text.split(separator: "\n").first, let pid = pid_t(line) else {
            throw TestClientError("no pid in \(dataDirectory)/postmaster.pid")
        }
        return pid
    }

    /// The processes whose parent is `parent`, from `/proc/<pid>/stat` (the parent is the field after the state).
    static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }
}
