/// One finished request, as the access log records it.
public struct AccessRecord: Sendable {
    public var method: String
    /// The route template (`/v1/runs/{run_id}`), or `unmatched`.
    public var route: String
    public var status: Int
    /// Body bytes sent.
    public var bytes: Int
    public var durationMicroseconds: UInt64
    public var requestID: String
    /// Body bytes received (as sent on the wire, before gzip inflation).
    public var requestBytes: Int = 0
    /// The trace id of the request's valid `traceparent` header.
    public var traceID: String?
}

/// Receives one record per request. Called on the thread that finished the request (an event loop or a worker), so
/// it must be cheap and must not block; the service's implementation formats into a buffer written out in the
/// background.
public protocol AccessLogging: Sendable {
    func record(_ entry: AccessRecord)
}
