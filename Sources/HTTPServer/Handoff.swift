import Synchronization

/// Who may touch a connection's socket while a worker runs its handler. The loop owns the connection; the worker
/// may send the response itself (saving a wake-up of the loop per request) and give the connection back with one
/// atomic step, unless the loop has meanwhile said it needs to know (more input arrived, the peer went away, the
/// server is draining) — then the worker hands the response to the loop instead.
final class Handoff: Sendable {
    /// The loop owns the socket.
    static let loop: UInt8 = 0
    /// A worker is running the handler and may send on the socket.
    static let worker: UInt8 = 1
    /// A worker is running the handler, and the loop wants the response posted back to it.
    static let workerReportBack: UInt8 = 2

    private let state = Atomic<UInt8>(Handoff.loop)

    /// Loop: a worker takes the request.
    func giveToWorker() { state.store(Self.worker, ordering: .releasing) }

    /// Loop: asks the worker to post its response back. False when the worker already gave the connection back.
    func requestReport() -> Bool {
        let (exchanged, current) = state.compareExchange(
            expected: Self.worker, desired: Self.workerReportBack, ordering: .acquiringAndReleasing)
        return exchanged || current == Self.workerReportBack
    }

    /// Worker: gives the connection back after sending the whole response. False when the loop asked for a report.
    func returnFromWorker() -> Bool {
        state.compareExchange(expected: Self.worker, desired: Self.loop, ordering: .acquiringAndReleasing).exchanged
    }

    /// Loop: takes the connection back from a posted response.
    func takeBack() { state.store(Self.loop, ordering: .releasing) }

    var isWithLoop: Bool { state.load(ordering: .acquiring) == Self.loop }
}
