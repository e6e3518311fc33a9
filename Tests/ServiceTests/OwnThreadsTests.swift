import Foundation
import TestSupport
import Testing

/// The blocking-call helper really moves work off the concurrency pool, and `#expect` still works there.
@Suite(.ownThreads) struct OwnThreadsTests {
    @Test func aSynchronousTestOfAnOwnThreadsSuiteRunsOnItsOwnThread() {
        #expect(ThreadPerJobExecutor.isCurrentThreadOwn)
    }

    @Test func workContinuesOnItsOwnThreadAfterASuspension() async throws {
        try await Task.sleep(for: .milliseconds(1))
        #expect(ThreadPerJobExecutor.isCurrentThreadOwn)
    }
}

@Suite struct OnOwnThreadTests {
    @Test func blockingWorkRunsOnAThreadOfItsOwn() async throws {
        #expect(!ThreadPerJobExecutor.isCurrentThreadOwn, "a test outside .ownThreads runs on the pool")
        let own = try await onOwnThread { () throws -> Bool in
            #expect(ThreadPerJobExecutor.isCurrentThreadOwn, "#expect works inside")
            return ThreadPerJobExecutor.isCurrentThreadOwn
        }
        #expect(own)
    }

    /// Four 300 ms blocking sleeps at once take about 300 ms, not 600 ms as on a pool of two threads.
    @Test func blockingWorkDoesNotQueueOnThePool() async {
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { await onOwnThread { Thread.sleep(forTimeInterval: 0.3) } } }
        }
        #expect(ContinuousClock.now - start < .milliseconds(550))
    }
}
