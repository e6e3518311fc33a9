import Foundation
import Postgres
import Synchronization

/// A started run; `wait()` blocks until it has finished. It can be asked to cancel (`PipelineRunner.cancelAll`, or a
/// cancel request through the run's monitor): the run's statement is cancelled through `PostgresCancel`, its stage
/// stops at its next `progress` check, the run rolls back and is recorded `cancelled`.
public final class RunHandle: Sendable {
    public let runID: Int64
    /// What the stage reports while it works; also carries the stop flag the stage's loops check.
    public let progress = RunProgress()
    private let state: Mutex<RunRecord>
    private let insufficient = Mutex(false)
    private let done = FinishSignal()
    private let canceller: PostgresCancel?
    /// Why the run is being cancelled, whether the run's thread has taken notice (after which no more cancel requests
    /// are started), and whether a cancel request is on its way (at most one at a time).
    private let cancellation = Mutex<(reason: String?, observed: Bool, sending: Bool)>((nil, false, false))

    init(initial: RunRecord, canceller: PostgresCancel? = nil) {
        runID = initial.runID
        state = Mutex(initial)
        self.canceller = canceller
    }

    /// The record as last known (running until finished).
    public var record: RunRecord { state.withLock { $0 } }

    /// Whether the run has finished.
    public var isFinished: Bool { record.status != .running }

    func complete(_ record: RunRecord, insufficientData: Bool = false) {
        insufficient.withLock { $0 = insufficientData }
        state.withLock { $0 = record }
        done.finish()
    }

    /// Whether the finished run failed because its data cannot support it (see `StageError.insufficientData`).
    public var failedForInsufficientData: Bool { insufficient.withLock { $0 } }

    public func wait() -> RunRecord {
        done.wait()
        return record
    }

    /// Waits at most `seconds`; true when the run finished.
    public func wait(seconds: Double) -> Bool {
        done.wait(seconds: seconds)
    }

    /// The reason given to `requestCancel`, if any.
    var cancelReason: String? { cancellation.withLock { $0.reason } }

    /// Asks the run to stop (the first reason wins) and cancels its current statement. Called again, it cancels again:
    /// a run computing between statements is only stopped by a statement of its own. Returns at once.
    ///
    /// `PQcancel` is a blocking network call (it connects to the server and waits for it to hang up), which never
    /// returns from a stalled server; so it is sent on a thread of its own, outside the lock that the run's thread
    /// takes in `observeCancellation`, and at most one is on its way per run. Whether to send is decided under the
    /// lock: none is started once the run's thread observed the cancellation. One started just before may still
    /// arrive after it, and then hits the statement recording the cancellation; `recordEnding` retries that
    /// statement, and as no further request can follow, the retry succeeds.
    func requestCancel(reason: String) {
        let send = cancellation.withLock { state -> Bool in
            if state.reason == nil { state.reason = reason }
            progress.requestStop()
            guard !state.observed, !state.sending, canceller != nil else { return false }
            state.sending = true
            return true
        }
        guard send, let canceller else { return }
        let thread = Thread { [self] in
            canceller.cancel()
            cancellation.withLock { $0.sending = false }
        }
        thread.name = "run-\(runID)-cancel"
        thread.start()
    }

    /// Called by the run's thread when its work failed: the cancel reason if a cancel was asked for (the failure is
    /// then the cancellation). Either way no further cancel requests are sent, so none can hit the statement that
    /// records how the run ended.
    func observeCancellation() -> String? {
        cancellation.withLock { state in
            state.observed = true
            return state.reason
        }
    }
}
