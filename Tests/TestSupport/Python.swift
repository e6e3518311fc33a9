import Foundation

/// Runs `python3` with `arguments` and returns its combined standard output and error; throws, with that output, on
/// a non-zero exit. The Python tools the tests use are installed by `make test` (scripts/install-test-tools.sh),
/// never from inside a test. It waits for the process (through `runTool`, which collects the output in a file, safe
/// from processes that other tests start at the same time): call it from a test on its own threads (`.ownThreads`).
public func python(_ arguments: [String]) throws -> String {
    let result = try runTool("python3", arguments)
    guard result.status == 0 else {
        throw TestClientError("python3 exited with \(result.status):\n\(result.output)")
    }
    return result.output
}
