import Foundation
import Glibc

/// Runs the server programs, as the `postgres` user when this process is root (PostgreSQL refuses to run as root).
struct CommandRunner {
    /// The user to run as, or nil to run as ourselves.
    let user: String?

    static func forCurrentUser() throws(EmbeddedPostgresError) -> CommandRunner {
        guard geteuid() == 0 else { return CommandRunner(user: nil) }
        guard getpwnam("postgres") != nil else {
            throw EmbeddedPostgresError(
                "running as root needs the 'postgres' system user to run the embedded database "
                    + "(it comes with `apt-get install postgresql`)")
        }
        return CommandRunner(user: "postgres")
    }

    /// Runs a program and returns its combined output; throws with that output's last line when it exits non-zero.
    /// Uses posix_spawn and waitpid directly: the output goes to a temporary file rather than a pipe, because
    /// `pg_ctl start` leaves a daemon behind that would inherit a pipe and keep it open.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws(EmbeddedPostgresError) -> String {
        let command = user.map { [Self.runuser, "-u", $0, "--", program] } ?? [program]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var template = Array("/tmp/seedtest-command-XXXXXX".utf8CString)
        let outputDescriptor = mkstemp(&template)
        guard outputDescriptor >= 0 else { throw EmbeddedPostgresError("cannot create a temporary file") }
        let outputPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(outputDescriptor)
            unlink(outputPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedPostgresError("could not run \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard exitCode == 0 else {
            let name = (program as NSString).lastPathComponent
            let lastLine = text.split(separator: "\n").last.map(String.init) ?? "no output"
            throw EmbeddedPostgresError("\(name) failed (exit \(exitCode)): \(lastLine)")
        }
        return text
    }

    /// Whether the run-as user can create files in `directory` (every parent must be traversable).
    func canWrite(_ directory: String) -> Bool {
        guard user != nil else { return access(directory, W_OK | X_OK) == 0 }
        return (try? run("/usr/bin/test", ["-w", directory, "-a", "-x", directory])) != nil
    }

    /// Gives a path to the run-as user.
    func takeOwnership(of path: String) {
        guard let user, let entry = getpwnam(user) else { return }
        chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/sbin/runuser"
    }
}
