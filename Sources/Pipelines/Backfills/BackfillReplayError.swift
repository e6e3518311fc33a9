/// The request's `Idempotency-Key` already started a backfill with the same body (within 24 h): none is started, the
/// client is answered with that one.
public struct BackfillReplayError: Error, Sendable, CustomStringConvertible {
    public let backfillID: Int64

    public var description: String { "the Idempotency-Key already started backfill \(backfillID)" }
}
