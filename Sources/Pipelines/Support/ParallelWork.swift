import Foundation
import Synchronization

/// Runs `count` independent pieces of work on `threads` threads of our own (never the Swift concurrency pool),
/// each index exactly once, and waits. Results are placed by index, so the output order never depends on timing.
enum ParallelWork {
    static func map<Result: Sendable>(
        count: Int, threads: Int, _ body: @escaping @Sendable (Int) throws -> Result
    ) throws -> [Result] {
        guard count > 0 else { return [] }
        let next = Atomic<Int>(0)
        let results = Mutex<[Result?]>([Result?](repeating: nil, count: count))
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(threads, count)) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while failure.withLock({ $0 == nil }) {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < count else { return }
                    do {
                        let value = try body(index)
                        results.withLock { $0[index] = value }
                    } catch {
                        failure.withLock { $0 = $0 ?? error }
                    }
                }
            }
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        // Every slot is filled: with no failure, each index in `0..<count` was taken by exactly one thread, whose
        // `body` returned and stored its value before `group.leave()`.
        return results.withLock { $0.map { $0! } }
    }
}
