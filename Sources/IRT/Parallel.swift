import Dispatch
import Glibc
import Synchronization

/// Runs independent blocks of work on a few threads.
///
/// Blocks are handed out dynamically, so which thread runs which block varies; every caller therefore writes
/// each block's result to a slot of its own (or sums exact integers), and combines slots in block order. That
/// is what makes results bit-identical for any thread count.
enum Parallel {
    /// Online processors, the default thread count.
    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Calls `body(worker, block)` once for every block in `0..<blocks`, on up to `workers` threads; `worker` is
    /// in `0..<workers` and no two concurrent calls share it, so it can index per-thread scratch space.
    static func run(blocks: Int, workers: Int, _ body: (_ worker: Int, _ block: Int) -> Void) {
        if workers <= 1 || blocks <= 1 {
            for block in 0..<blocks { body(0, block) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = Shared(body: body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while true {
                    let block = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if block >= blocks { break }
                    shared.body(worker, block)
                }
            }
        }
    }

    /// The work and its block counter, shared by the workers.
    ///
    /// `@unchecked Sendable` is sound here: `concurrentPerform` returns only after every worker has finished, so
    /// `body` never outlives `run`, and callers guarantee that concurrent calls touch disjoint memory (each block
    /// and each worker index owns its own slots).
    private final class Shared: @unchecked Sendable {
        let body: (_ worker: Int, _ block: Int) -> Void
        let next = Atomic<Int>(0)

        init(body: @escaping (_ worker: Int, _ block: Int) -> Void) {
            self.body = body
        }
    }

    /// The number of workers to use for `blocks` blocks when `threads` were requested.
    static func workers(threads: Int, blocks: Int) -> Int { max(1, min(threads, blocks)) }
}
