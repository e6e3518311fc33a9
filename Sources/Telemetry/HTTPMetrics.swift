import Metrics
import Synchronization

/// Requests by route template, method and status class, the requests in flight, connections.
///
/// The metric objects of one (route, method, status class) are made once and kept: the registry's own lookup takes
/// its lock and sorts labels, too much for every `/healthz`. Routes are templates and methods an enum, so the cache
/// stays small.
public final class HTTPMetrics: Sendable {
    static let durationName = "seedtest_http_request_duration_seconds"

    struct Key: Hashable {
        let route: String
        let method: String
        let statusClass: Int
    }

    struct Series {
        let duration: Metrics.Timer
        let requestBytes: Metrics.Counter
        let responseBytes: Metrics.Counter
    }

    private let factory: any MetricsFactory
    private let series = Mutex<[Key: Series]>([:])
    let inFlight: Metrics.Gauge
    let connectionsOpen: Metrics.Gauge
    let connectionsRefused: Metrics.Counter
    private let refusedSeen = Mutex<Int>(0)

    init(factory: any MetricsFactory) {
        self.factory = factory
        inFlight = Metrics.Gauge(label: "seedtest_http_requests_in_flight", dimensions: [], factory: factory)
        connectionsOpen = Metrics.Gauge(label: "seedtest_http_connections_open", dimensions: [], factory: factory)
        connectionsRefused = Metrics.Counter(
            label: "seedtest_http_connections_refused_total", dimensions: [], factory: factory)
    }

    /// Records one finished request. `route` must be a template (or `unmatched`), never a raw path.
    public func record(
        route: String, method: String, status: Int, nanoseconds: Int64, requestBytes: Int, responseBytes: Int
    ) {
        let key = Key(route: route, method: method, statusClass: min(max(status / 100, 1), 5))
        let entry = series.withLock { cached in
            if let found = cached[key] { return found }
            let made = makeSeries(key)
            cached[key] = made
            return made
        }
        entry.duration.recordNanoseconds(nanoseconds)
        if requestBytes > 0 { entry.requestBytes.increment(by: requestBytes) }
        if responseBytes > 0 { entry.responseBytes.increment(by: responseBytes) }
    }

    private func makeSeries(_ key: Key) -> Series {
        let byRoute = [("route", key.route), ("method", key.method)]
        return Series(
            duration: Timer(
                label: Self.durationName, dimensions: byRoute + [("status_class", "\(key.statusClass)xx")],
                factory: factory),
            requestBytes: Metrics.Counter(
                label: "seedtest_http_request_bytes_total", dimensions: byRoute, factory: factory),
            responseBytes: Metrics.Counter(
                label: "seedtest_http_response_bytes_total", dimensions: byRoute, factory: factory))
    }

    /// Sets the server's own figures, read at scrape time: requests in flight, open connections and the running total
    /// of connections refused over the cap.
    public func update(inFlight requests: Int, connectionsOpen open: Int, connectionsRefused refused: Int) {
        inFlight.record(requests)
        connectionsOpen.record(open)
        let added = refusedSeen.withLock { seen in
            defer { seen = max(seen, refused) }
            return refused - seen
        }
        if added > 0 { connectionsRefused.increment(by: added) }
    }
}
