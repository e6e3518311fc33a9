import Dispatch
import Synchronization

/// A started backfill: its record as last known in this process (progress included), and `wait` for its end.
public final class BackfillHandle: Sendable {
    public let backfillID: Int64
    private let state: Mutex<BackfillRecord>
    private let done = FinishSignal()

    init(initial: BackfillRecord) {
        backfillID = initial.backfillID
        state = Mutex(initial)
    }

    /// The record as last known: running, with the days done and the current run, until finished.
    public var record: BackfillRecord { state.withLock { $0 } }

    func update(daysDone: Int? = nil, currentRunID: Int64? = nil) {
        state.withLock { record in
            if let daysDone { record.daysDone = daysDone }
            if let currentRunID {
                record.currentRunID = currentRunID
                record.runIDs.append(currentRunID)
            }
        }
    }

    func complete(_ record: BackfillRecord) {
        state.withLock { $0 = record }
        done.finish()
    }

    /// Waits until the backfill has finished and returns its final record.
    public func wait() -> BackfillRecord {
        done.wait()
        return record
    }

    /// Waits at most `seconds`; true when the backfill finished.
    public func wait(seconds: Double) -> Bool {
        done.wait(seconds: seconds)
    }
}
