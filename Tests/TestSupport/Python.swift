import Foundation

/// Runs `python3` with `arguments` and returns its combined standard output and error; throws, with that output, on
/// a non-zero exit. The Python tools the tests use are installed by `make test` (scripts/install-test-tools.sh),
/// never from inside a test. It waits for the process: call it from a test on its own threads (`.ownThreads`).
public func python(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw TestClientError("python3 exited with \(process.terminationStatus):\n\(text)")
    }
    return text
}
