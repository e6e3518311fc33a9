import CSystem
import Foundation

/// A fixed set of threads that run handlers, which may block on the database or outbound HTTP. Jobs are taken in
/// submission order; at most `capacity` wait, and `submit` refuses more. The pool's threads are its own, never the
/// Swift concurrency pool's.
final class WorkerPool: @unchecked Sendable {
    // `condition` guards `jobs`, `head` and `stopping`; nothing else is mutable.
    private let condition = NSCondition()
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var stopping = false
    private let capacity: Int

    init(threads: Int, capacity: Int, name: String) {
        self.capacity = capacity
        for index in 0..<threads {
            let threadName = "\(name)-\(index)"
            let thread = Thread { [self] in
                csystem_set_thread_name(String(threadName.prefix(15)))
                self.work()
            }
            thread.name = threadName
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues a job; false (and the job dropped) when `capacity` jobs are already waiting.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard jobs.count - head < capacity else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets queued jobs finish and ends the threads once the queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            // Unreachable as nil: every slot from `head` on holds a job appended by `submit`.
            let job = jobs[head]!
            jobs[head] = nil
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
