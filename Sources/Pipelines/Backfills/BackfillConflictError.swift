/// Another backfill is running (one at a time across every replica).
public struct BackfillConflictError: Error, Sendable, CustomStringConvertible {
    /// The running backfill, when its record could be read.
    public let runningBackfillID: Int64?

    public var description: String {
        "a backfill is already running" + (runningBackfillID.map { " (backfill \($0))" } ?? "")
            + "; one runs at a time: cancel it or wait for it"
    }
}
