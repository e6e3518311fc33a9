import CSystem
import Foundation

/// A fixed set of threads that run handlers, which may block on the database or outbound HTTP. Jobs are taken in
/// submission order; at most `capacity` wait, and `submit` refuses more. The pool's threads are its own, never the
/// Swift concurrency pool's.
///
/// An event loop queues the jobs of one `epoll_wait` batch with `submit(_:wake: false)` and wakes workers once
/// after the batch (`wakeForQueued`): a worker woken per request preempts the loop on a 2-core machine, so every
/// request then cost two context switches and the loop's batch was split into single requests.
///
/// Each sleeping worker waits on a semaphore of its own, and the most recently idle one is woken first (its stack and
/// caches are warm; the others stay asleep when a few suffice). With one condition variable for all workers, the
/// woken ones and the loop fought over its mutex: under `wrk` on the 4 KiB JSON route, a third of the pool's futex
/// calls were wake-ups of that contended mutex. A woken worker still takes the oldest job from the shared queue
/// rather than one handed to it: a job bound to a worker waits whenever that thread is not scheduled, which doubled
/// the p99 latency on a loaded 2-core machine.
final class WorkerPool: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    // `lock` guards `ring`, `head`, `count`, `idle`, `unwoken` and `stopping`; nothing else is mutable.
    private let lock = NSLock()
    /// Queued jobs in a ring of `ring.count` slots starting at `head`.
    private var ring: [Job?]
    private var head = 0
    private var count = 0
    /// The wake-ups of sleeping workers, the most recently idle last.
    private var idle: [DispatchSemaphore] = []
    /// Jobs queued without a wake-up yet.
    private var unwoken = 0
    private var stopping = false
    private let capacity: Int

    init(threads: Int, capacity: Int, name: String) {
        self.capacity = capacity
        ring = Array(repeating: nil, count: max(16, min(capacity, 1024)))
        idle.reserveCapacity(threads)
        for index in 0..<threads {
            let threadName = "\(name)-\(index)"
            let wake = DispatchSemaphore(value: 0)
            let thread = Thread { [self] in
                csystem_set_thread_name(String(threadName.prefix(15)))
                self.work(wake: wake)
            }
            thread.name = threadName
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues a job; false (and the job dropped) when `capacity` jobs are already waiting. With `wake: false` no
    /// worker is woken for it until `wakeForQueued` (a worker that finishes a job still takes it).
    func submit(wake: Bool = true, _ job: @escaping Job) -> Bool {
        lock.lock()
        guard count < capacity else {
            lock.unlock()
            return false
        }
        if count == ring.count { grow() }
        ring[(head + count) % ring.count] = job
        count += 1
        guard wake else {
            unwoken += 1
            lock.unlock()
            return true
        }
        let sleeper = idle.popLast()
        lock.unlock()
        sleeper?.signal()
        return true
    }

    /// Wakes one sleeping worker for each job queued with `wake: false` that is still waiting.
    func wakeForQueued() {
        lock.lock()
        let wakes = min(unwoken, count, idle.count)
        unwoken = 0
        // Signalled under the lock: the count of sleepers to take is known only here, and a semaphore's signal
        // does not wait for the woken thread.
        for _ in 0..<wakes { idle.removeLast().signal() }
        lock.unlock()
    }

    /// Lets queued jobs finish and ends the threads once the queue is empty.
    func stop() {
        lock.lock()
        stopping = true
        let sleeping = idle
        idle.removeAll()
        lock.unlock()
        for wake in sleeping { wake.signal() }
    }

    private func grow() {
        var larger: [Job?] = Array(repeating: nil, count: ring.count * 2)
        for offset in 0..<count { larger[offset] = ring[(head + offset) % ring.count] }
        ring = larger
        head = 0
    }

    /// Removes the oldest queued job; the caller holds `lock` and has checked that `count > 0`.
    private func takeQueued() -> Job? {
        let job = ring[head]
        ring[head] = nil
        head = (head + 1) % ring.count
        count -= 1
        if unwoken > count { unwoken = count }
        return job
    }

    private func work(wake: DispatchSemaphore) {
        while true {
            lock.lock()
            if count > 0 {
                let job = takeQueued()
                lock.unlock()
                job?()
                continue
            }
            if stopping {
                lock.unlock()
                return
            }
            idle.append(wake)
            lock.unlock()
            // Signalled by a submission, `wakeForQueued` or `stop`, each of which took this semaphore off `idle`.
            wake.wait()
        }
    }
}
