import Foundation
import Glibc
import Synchronization

/// The built `seedtest-pipelines` executable as a child process, for tests that signal it (SIGKILL, SIGTERM) or
/// check how it refuses to start. `swift build --build-tests` builds it next to the test bundle. Its standard error
/// (logfmt) goes to a file the test can read.
///
/// `@unchecked Sendable`: the process handle is only touched from the test that started it, one call at a time.
public final class ServiceProcess: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let finalStatus = Mutex<Int32?>(nil)
    private let errorPath: String

    /// The executable beside the running test bundle.
    public static var executablePath: String {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return bundle.appendingPathComponent("seedtest-pipelines").path
    }

    private init(port: Int, process: Process, errorPath: String) {
        self.port = port
        self.process = process
        self.errorPath = errorPath
    }

    /// Starts `seedtest-pipelines <arguments>` with `environment` added to a minimal one (PATH, HOME) and without
    /// waiting for anything. `port` is the port the test passed (0 when none).
    public static func launch(
        _ arguments: [String], environment: [String: String] = [:], port: Int = 0
    ) throws -> ServiceProcess {
        let errorPath = NSTemporaryDirectory() + "service-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath)
        process.arguments = arguments
        let inherited = ProcessInfo.processInfo.environment
        process.environment = ["PATH": inherited["PATH"] ?? "/usr/bin:/bin", "HOME": inherited["HOME"] ?? "/tmp"]
            .merging(environment) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: errorPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        return ServiceProcess(port: port, process: process, errorPath: errorPath)
    }

    /// Starts `serve` on a free loopback port against `databaseURL` and waits until `/healthz` answers; without the
    /// access log unless `accessLog`.
    public static func serve(
        databaseURL: String, arguments: [String] = [], environment: [String: String] = [:], accessLog: Bool = false
    ) throws -> ServiceProcess {
        let port = FreePort.next()
        let service = try launch(
            ["serve", "--database-url", databaseURL, "--port", "\(port)"] + (accessLog ? [] : ["--no-access-log"])
                + arguments,
            environment: environment, port: port)
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            if let response = try? TestHTTP.request(port: port, "GET", "/healthz", timeout: 2), response.status == 200 {
                return service
            }
            guard service.exitStatus() == nil else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = service.standardError
        service.kill(SIGKILL)
        throw TestClientError("the service did not start:\n\(log)")
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { exitStatus() == nil }

    /// What the process wrote to standard output and error so far.
    public var standardError: String {
        (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the process.
    public func kill(_ signal: Int32) {
        if exitStatus() == nil { Glibc.kill(process.processIdentifier, signal) }
    }

    /// The exit status once the process has exited (kept here: once `exitStatusIfExited` reaped the child, only its
    /// answer knows it), else nil.
    private func exitStatus() -> Int32? {
        finalStatus.withLock { known in
            if known == nil { known = process.exitStatusIfExited() }
            return known
        }
    }

    /// Waits up to `seconds` for the process to exit; its status, or nil if it is still running.
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while exitStatus() == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return exitStatus()
    }

    /// Kills the process if it still runs and removes its log.
    public func stop() {
        if exitStatus() == nil {
            Glibc.kill(process.processIdentifier, SIGKILL)
            while exitStatus() == nil { usleep(5_000) }
        }
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}
