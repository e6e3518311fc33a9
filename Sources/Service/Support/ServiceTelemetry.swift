import HTTPServer
import Logging
import Pipelines
import Postgres
import Synchronization
import Telemetry
import UTCTime

/// Feeds the service's metrics (`ServiceMetrics`) from the parts that know nothing of them: the HTTP server's access
/// records and statistics, the runner's run events, the pool's hooks, and `pipeline_runs` (stage timestamps, read at
/// most every `refreshSeconds` when scraped, so that every replica shows every replica's runs).
final class ServiceTelemetry: Sendable {
    let metrics: ServiceMetrics
    let statistics: ServerStatistics
    /// When the stage gauges were last read; nil forces a read at the next scrape.
    private let refreshedAt = Mutex<ContinuousClock.Instant?>(nil)
    static let refreshSeconds = 10

    init(metrics: ServiceMetrics, statistics: ServerStatistics) {
        self.metrics = metrics
        self.statistics = statistics
        metrics.runs.register(stages: Stage.allCases.map(\.rawValue))
    }

    /// The pool's hooks, mapped to the `main` and `probe` series.
    var poolObserver: PoolObserver {
        let database = metrics.database
        return PoolObserver(
            acquired: { seconds, probe in (probe ? database.probe : database.main).acquired(afterSeconds: seconds) },
            timedOut: { probe in (probe ? database.probe : database.main).timedOut() },
            connectionFailed: { database.main.connectionFailed() },
            reconnected: { database.main.reconnected() })
    }

    /// The exposition for a scrape: stage gauges refreshed when older than `refreshSeconds`, the server's and the
    /// pool's current figures set, then every series rendered.
    func scrape(pool: PostgresPool, logger: Logger) -> [UInt8] {
        refreshStages(pool: pool, logger: logger)
        metrics.http.update(
            inFlight: statistics.requestsInFlight, connectionsOpen: statistics.connectionsOpen,
            connectionsRefused: statistics.connectionsRefused)
        let usage = pool.usage
        metrics.database.main.update(size: pool.configuration.size, inUse: usage.inUse, waiting: usage.waiting)
        return metrics.exposition()
    }

    /// Reads the stage timestamps and backfill progress unless read within `refreshSeconds`. A database that does not
    /// answer within a second leaves the gauges as they were (and is retried at the next scrape).
    func refreshStages(pool: PostgresPool, logger: Logger) {
        let now = ContinuousClock.now
        let due = refreshedAt.withLock { last -> Bool in
            if let last, now - last < .seconds(Self.refreshSeconds) { return false }
            last = now
            return true
        }
        guard due else { return }
        do {
            let (summaries, backfill) = try pool.withConnection(within: 1) { connection in
                (
                    try StageStatusReads.summaries(connection, stages: Stage.allCases.map(\.rawValue)),
                    try StageStatusReads.backfillProgress(connection)
                )
            }
            for summary in summaries {
                metrics.runs.setTimestamps(
                    stage: summary.stage, lastSuccess: summary.lastSuccess?.unixSeconds,
                    lastRun: summary.latestStartedAt?.unixSeconds, lastFailure: summary.lastFailure?.unixSeconds)
            }
            metrics.runs.setBackfill(daysDone: backfill.done, daysTotal: backfill.total)
        } catch {
            refreshedAt.withLock { $0 = nil }
            logger.warning("metrics: stage status not read", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Makes the next scrape read the stage gauges again (a run of this replica just ended).
    func invalidateStages() {
        refreshedAt.withLock { $0 = nil }
    }
}

/// Runs of this replica, to the run metrics.
struct RunMetricsObserver: RunObserving {
    let telemetry: ServiceTelemetry

    func runStarted(_ record: RunRecord) {
        telemetry.metrics.runs.started(stage: record.stage)
    }

    func runFinished(_ record: RunRecord) {
        telemetry.metrics.runs.finished(
            stage: record.stage, status: record.status.rawValue,
            seconds: Double(record.durationMilliseconds ?? 0) / 1000, rows: record.rowsWritten)
        telemetry.invalidateStages()
    }
}

/// The access log that also records each request in the HTTP metrics (and the ingest request sizes), then hands the
/// record on to the configured access log.
public struct MeteredAccessLog: AccessLogging {
    let metrics: ServiceMetrics
    let next: (any AccessLogging)?

    public init(metrics: ServiceMetrics, next: (any AccessLogging)?) {
        self.metrics = metrics
        self.next = next
    }

    public func record(_ entry: AccessRecord) {
        metrics.http.record(
            route: entry.route, method: entry.method, status: entry.status,
            nanoseconds: Int64(clamping: entry.durationMicroseconds) &* 1000, requestBytes: entry.requestBytes,
            responseBytes: entry.bytes)
        if entry.route == "/v1/attempts" && entry.method == "POST" { metrics.ingest.request(bytes: entry.requestBytes) }
        next?.record(entry)
    }
}

extension Timestamp {
    /// Seconds since the Unix epoch, as Prometheus timestamps are.
    fileprivate var unixSeconds: Double { Double(microseconds) / 1e6 }
}
