import Foundation

/// What an external tool (promtool, kubectl, checkov, ...) printed and how it exited.
public struct ToolResult: Sendable {
    public let status: Int32
    /// Standard output and error together, as the tool wrote them.
    public let output: String
}

/// Runs `executable` (a path, or a name looked up on PATH) with `arguments` in `directory`, `inputPath` (a file) on
/// its standard input, and waits for it. A missing executable throws naming it; a non-zero exit does not (the
/// caller decides). The tools are installed by `make test` (scripts/install-test-tools.sh), never by a test. Call it
/// from a test on its own threads (`.ownThreads`).
public func runTool(
    _ executable: String, _ arguments: [String], directory: String? = nil, inputPath: String? = nil
) throws -> ToolResult {
    guard let path = toolPath(executable) else {
        throw TestClientError("\(executable) is not installed (scripts/install-test-tools.sh installs it)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let inputPath {
        guard let input = FileHandle(forReadingAtPath: inputPath) else {
            throw TestClientError("cannot read \(inputPath)")
        }
        process.standardInput = input
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    // The output goes to a file, not a pipe: a process another test starts at the same moment (a PostgreSQL
    // cluster, say) inherits every open descriptor, and a pipe's write end kept open there would make reading it to
    // the end wait for that process to exit.
    let outputPath = NSTemporaryDirectory() + "tool-\(UUID().uuidString).out"
    guard FileManager.default.createFile(atPath: outputPath, contents: nil),
        let output = FileHandle(forWritingAtPath: outputPath)
    else { throw TestClientError("cannot create \(outputPath)") }
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let status = process.waitForExitStatus()
    try output.close()
    let data = FileManager.default.contents(atPath: outputPath) ?? Data()
    return ToolResult(status: status, output: String(decoding: data, as: UTF8.self))
}

/// The executable `name` on PATH (or `name` itself when it is a path to an executable); nil when there is none.
public func toolPath(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"]
    return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
