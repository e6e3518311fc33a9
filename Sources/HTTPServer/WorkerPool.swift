import CSystem
import Foundation

/// A fixed set of threads that run handlers, which may block on the database or outbound HTTP. Jobs are taken in
/// submission order; at most `capacity` wait, and `submit` refuses more. The pool's threads are its own, never the
/// Swift concurrency pool's.
///
/// An event loop queues the jobs of one `epoll_wait` batch with `submit(_:wake: false)` and wakes workers once
/// after the batch (`wakeForQueued`): a worker woken per request preempts the loop on a 2-core machine, so every
/// request then cost two context switches and the loop's batch was split into single requests.
final class WorkerPool: @unchecked Sendable {
    // `condition` guards `ring`, `head`, `count`, `waiting`, `unwoken` and `stopping`; nothing else is mutable.
    private let condition = NSCondition()
    /// Queued jobs in a ring of `ring.count` slots starting at `head`.
    private var ring: [(@Sendable () -> Void)?]
    private var head = 0
    private var count = 0
    /// Workers blocked in `condition.wait()`.
    private var waiting = 0
    /// Jobs queued without a wake-up yet.
    private var unwoken = 0
    private var stopping = false
    private let capacity: Int

    init(threads: Int, capacity: Int, name: String) {
        self.capacity = capacity
        ring = Array(repeating: nil, count: max(16, min(capacity, 1024)))
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

    /// Queues a job; false (and the job dropped) when `capacity` jobs are already waiting. With `wake: false` no
    /// worker is woken for it until `wakeForQueued` (a worker that finishes a job still takes it).
    func submit(wake: Bool = true, _ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        guard count < capacity else {
            condition.unlock()
            return false
        }
        if count == ring.count { grow() }
        ring[(head + count) % ring.count] = job
        count += 1
        let signal = wake && waiting > 0
        if !wake { unwoken += 1 }
        condition.unlock()
        // Signalled after unlocking: a woken worker then finds the lock free instead of blocking on it at once.
        if signal { condition.signal() }
        return true
    }

    /// Wakes one sleeping worker for each job queued with `wake: false` that is still waiting.
    func wakeForQueued() {
        condition.lock()
        let wakes = min(unwoken, count, waiting)
        let all = wakes >= waiting && wakes > 1
        unwoken = 0
        condition.unlock()
        if all {
            condition.broadcast()
        } else {
            for _ in 0..<wakes { condition.signal() }
        }
    }

    /// Lets queued jobs finish and ends the threads once the queue is empty.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func grow() {
        var larger: [(@Sendable () -> Void)?] = Array(repeating: nil, count: ring.count * 2)
        for offset in 0..<count { larger[offset] = ring[(head + offset) % ring.count] }
        ring = larger
        head = 0
    }

    private func work() {
        while true {
            condition.lock()
            while count == 0 && !stopping {
                waiting += 1
                condition.wait()
                waiting -= 1
            }
            guard count > 0, let job = ring[head] else {
                condition.unlock()
                return
            }
            ring[head] = nil
            head = (head + 1) % ring.count
            count -= 1
            if unwoken > count { unwoken = count }
            condition.unlock()
            job()
        }
    }
}
