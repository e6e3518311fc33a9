import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTPServer

/// The worker pool on its own: every job runs once, in submission order on one thread, jobs queued without a
/// wake-up are handed out by `wakeForQueued`, a full queue refuses, and `stop` lets queued jobs finish.
@Suite(.ownThreads) struct WorkerPoolTests {
    /// Waits up to `seconds` for `done` to hold.
    static func wait(seconds: Double = 10, until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }

    @Test func oneWorkerRunsJobsInSubmissionOrderWhetherWokenAtOnceOrAfterTheBatch() {
        let pool = WorkerPool(threads: 1, capacity: 1000, name: "test-order")
        defer { pool.stop() }
        let order = Mutex<[Int]>([])
        for index in 0..<300 {
            // Mixes the loop's batched submissions with immediate wake-ups, as two callers might.
            let queued = pool.submit(wake: index % 3 == 0) { order.withLock { $0.append(index) } }
            #expect(queued)
            if index % 7 == 0 { pool.wakeForQueued() }
        }
        pool.wakeForQueued()
        #expect(Self.wait { order.withLock { $0.count } == 300 })
        #expect(order.withLock { $0 } == Array(0..<300))
    }

    @Test func jobsQueuedWithoutAWakeUpRunOnceWakeForQueuedHandsThemOut() {
        let pool = WorkerPool(threads: 4, capacity: 10_000, name: "test-batch")
        defer { pool.stop() }
        let runs = Mutex<[Int]>(Array(repeating: 0, count: 2000))
        let submitters = (0..<2).map { part in
            Thread {
                for batch in 0..<100 {
                    for offset in 0..<10 {
                        let index = part * 1000 + batch * 10 + offset
                        _ = pool.submit(wake: false) { runs.withLock { $0[index] += 1 } }
                    }
                    pool.wakeForQueued()
                }
            }
        }
        for thread in submitters { thread.start() }
        #expect(Self.wait { runs.withLock { $0.reduce(0, +) } == 2000 })
        #expect(runs.withLock { $0.allSatisfy { $0 == 1 } })
    }

    @Test func aFullQueueRefusesAndStopLetsQueuedJobsFinish() {
        let pool = WorkerPool(threads: 1, capacity: 2, name: "test-full")
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = Mutex(0)
        #expect(
            pool.submit {
                started.signal()
                release.wait()
                finished.withLock { $0 += 1 }
            })
        #expect(started.wait(timeout: .now() + 10) == .success)
        // The worker holds the first job; two more fill the queue and a fourth is refused.
        #expect(pool.submit(wake: false) { finished.withLock { $0 += 1 } })
        #expect(pool.submit(wake: false) { finished.withLock { $0 += 1 } })
        #expect(!pool.submit { finished.withLock { $0 += 1 } })
        pool.stop()
        release.signal()
        #expect(Self.wait { finished.withLock { $0 } == 3 })
    }
}
