import Metrics

/// The database pool: size, use, waits, timeouts, failed connects and reconnects. Waits and timeouts are labelled by
/// borrower, `main` (requests and runs) or `probe` (readiness and status, which borrow from the same pool with a
/// deadline of their own); size, use and waiting exist for `main` only, since probes have no pool of their own.
public final class DatabaseMetrics: Sendable {
    static let acquireWaitName = "seedtest_db_pool_acquire_wait_seconds"

    /// The metrics of one pool label.
    public struct Pool: Sendable {
        let size: Metrics.Gauge?
        let inUse: Metrics.Gauge?
        let waiting: Metrics.Gauge?
        let acquireWait: Metrics.Timer
        let timeouts: Metrics.Counter
        let failures: Metrics.Counter
        let reconnects: Metrics.Counter

        init(_ name: String, gauges: Bool, factory: any MetricsFactory) {
            let pool = [("pool", name)]
            size = gauges ? Metrics.Gauge(label: "seedtest_db_pool_size", dimensions: pool, factory: factory) : nil
            inUse = gauges ? Metrics.Gauge(label: "seedtest_db_pool_in_use", dimensions: pool, factory: factory) : nil
            waiting =
                gauges ? Metrics.Gauge(label: "seedtest_db_pool_waiting", dimensions: pool, factory: factory) : nil
            acquireWait = Metrics.Timer(label: DatabaseMetrics.acquireWaitName, dimensions: pool, factory: factory)
            timeouts = Metrics.Counter(
                label: "seedtest_db_pool_acquire_timeouts_total", dimensions: pool, factory: factory)
            failures = Metrics.Counter(
                label: "seedtest_db_connection_failures_total", dimensions: pool, factory: factory)
            reconnects = Metrics.Counter(label: "seedtest_db_reconnects_total", dimensions: pool, factory: factory)
        }

        /// A borrower got a connection after waiting `seconds`.
        public func acquired(afterSeconds seconds: Double) {
            acquireWait.recordNanoseconds(Int64(max(0, seconds) * 1e9))
        }

        /// A borrower gave up: no connection within its deadline.
        public func timedOut() { timeouts.increment() }

        /// Opening a connection failed.
        public func connectionFailed() { failures.increment() }

        /// A broken connection was replaced by a new one.
        public func reconnected() { reconnects.increment() }

        /// Sets the pool's current figures.
        public func update(size: Int, inUse: Int, waiting: Int) {
            self.size?.record(size)
            self.inUse?.record(inUse)
            self.waiting?.record(waiting)
        }
    }

    public let main: Pool
    public let probe: Pool

    init(factory: any MetricsFactory) {
        main = Pool("main", gauges: true, factory: factory)
        probe = Pool("probe", gauges: false, factory: factory)
        main.update(size: 0, inUse: 0, waiting: 0)
    }
}
