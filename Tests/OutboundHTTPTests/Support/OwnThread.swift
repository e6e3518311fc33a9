import Foundation

/// Runs blocking work (libcurl calls, process waits) on a thread of its own and returns its result, so that the
/// Swift concurrency pool (2 threads here) is never blocked. Assertions stay in the test body: `#expect` needs the
/// test's task context, which a plain thread does not have.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// `onOwnThread` for work that cannot throw.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(returning: body())
        }
    }
}

/// Runs `body` and measures it.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try body()
    return (value, ContinuousClock.now - start)
}
