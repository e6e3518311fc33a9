import Foundation
import TestSupport
import Testing

/// The blocking-call helper really moves work off the concurrency pool, and `#expect` still works there.
@Suite(.ownThreads) struct OwnThreadsTests {
    @Test func aSynchronousTestOfAnOwnThreadsSuiteRunsOnItsOwnThread() {
        #expect(Thread.current.name == ThreadPerJobExecutor.threadName)
    }

    @Test func workContinuesOnItsOwnThreadAfterASuspension() async throws {
        try await Task.sleep(for: .milliseconds(1))
        #expect(Thread.current.name == ThreadPerJobExecutor.threadName)
    }
}

@Suite struct OnOwnThreadTests {
    @Test func blockingWorkRunsOnAThreadOfItsOwn() async throws {
        let name = try await onOwnThread { () throws -> String? in
            #expect(Thread.current.name == ThreadPerJobExecutor.threadName, "#expect works inside")
            return Thread.current.name
        }
        #expect(name == ThreadPerJobExecutor.threadName)
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
