import Foundation
import Synchronization
import Testing

/// Runs blocking work (libpq, libcurl, sockets, process waits) on threads of its own, never on the Swift concurrency
/// pool (2 threads here, which one blocking test would halve).
///
/// The work runs as part of the calling task, under a task executor that gives every job a new thread (a synchronous
/// body hops there too), so task-local context stays: `#expect` and `#require` work inside. Two forms share it:
/// - `@Suite(.ownThreads)`: every test of the suite (synchronous ones too) runs on its own threads;
/// - `try await onOwnThread { … }`: one piece of work, from a test that is otherwise async.
public func onOwnThread<T: Sendable, Failure: Error>(_ body: () throws(Failure) -> T) async throws(Failure) -> T {
    try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { () throws(Failure) -> T in try body() }
}

/// The trait behind `.ownThreads`: each test case runs under `ThreadPerJobExecutor`.
public struct OwnThreadsTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreadsTrait {
    /// Runs every test of a suite on threads of its own: for tests that make blocking database or socket calls.
    public static var ownThreads: Self { OwnThreadsTrait() }
}

/// A task executor that runs each job on a new thread. Jobs of one task run one after another (a task enqueues its
/// next job only when the last one suspended), so a task keeps its order.
public final class ThreadPerJobExecutor: TaskExecutor {
    public static let shared = ThreadPerJobExecutor()
    /// The threads running a job now, so that a test can tell where it runs (Foundation's thread names are not
    /// reliable on Linux).
    private static let running = Mutex<Set<pthread_t>>([])

    /// Whether the calling code runs on one of this executor's threads.
    public static var isCurrentThreadOwn: Bool {
        running.withLock { $0.contains(pthread_self()) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread.detachNewThread {
            let thread = pthread_self()
            Self.running.withLock { _ = $0.insert(thread) }
            defer { Self.running.withLock { _ = $0.remove(thread) } }
            job.runSynchronously(on: executor)
        }
    }
}
