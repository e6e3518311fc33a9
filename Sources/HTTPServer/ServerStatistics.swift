import Synchronization

/// Running figures of one server (open connections, requests in flight, connections refused over the cap), kept with
/// relaxed atomics on the paths that change them and read by the application's metrics when scraped.
public final class ServerStatistics: Sendable {
    let openConnections = Atomic<Int>(0)
    let inFlight = Atomic<Int>(0)
    let refusedConnections = Atomic<Int>(0)

    public init() {}

    /// Client connections open now.
    public var connectionsOpen: Int { openConnections.load(ordering: .relaxed) }
    /// Requests dispatched to a handler and not yet answered.
    public var requestsInFlight: Int { max(0, inFlight.load(ordering: .relaxed)) }
    /// Connections refused over `maxConnections` since the server started.
    public var connectionsRefused: Int { refusedConnections.load(ordering: .relaxed) }
}
