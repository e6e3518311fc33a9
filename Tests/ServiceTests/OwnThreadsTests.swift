import Foundation
import Synchronization
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

    /// Four blocking bodies wait for each other: on the pool's two threads they never could all be waiting at once
    /// (two would time out); on threads of their own they all meet. No timing is asserted, so load cannot fail it.
    @Test func blockingWorkDoesNotQueueOnThePool() async {
        let arrived = Arrivals()
        let met = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await onOwnThread {
                        arrived.count.add(1, ordering: .relaxed)
                        let deadline = Date(timeIntervalSinceNow: 60)
                        while arrived.count.load(ordering: .relaxed) < 4 && Date() < deadline {
                            Thread.sleep(forTimeInterval: 0.001)
                        }
                        return arrived.count.load(ordering: .relaxed) == 4
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(met == [true, true, true, true])
    }
}

/// How many blocking bodies have reached the meeting point.
final class Arrivals: Sendable {
    let count = Atomic<Int>(0)
}
