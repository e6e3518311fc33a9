import Dispatch

/// Set once when work finishes; any number of threads wait for it, each with or without a time limit. The run and
/// backfill handles share it.
final class FinishSignal: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    /// Marks the work finished and wakes every waiter.
    func finish() { semaphore.signal() }

    /// Waits until the work has finished.
    func wait() {
        semaphore.wait()
        semaphore.signal()
    }

    /// Waits at most `seconds`; true when the work finished.
    func wait(seconds: Double) -> Bool {
        guard semaphore.wait(timeout: .now() + max(0, seconds)) == .success else { return false }
        semaphore.signal()
        return true
    }
}
