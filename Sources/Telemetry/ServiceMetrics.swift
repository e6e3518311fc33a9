import Metrics
import Prometheus

/// Every metric of one service instance, on a registry of its own: the service passes this object around instead of
/// relying on the global `MetricsSystem`, so that tests running several services in one process read each one's own
/// series. The executable also bootstraps `MetricsSystem` with `factory`, so that library code using the global
/// factory lands on the same registry.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    public let http: HTTPMetrics
    public let runs: RunMetrics
    public let ingest: IngestMetrics
    public let database: DatabaseMetrics
    public let cache: CacheMetrics
    public let process: ProcessMetrics

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = Self.durationBuckets
        factory.valueHistogramBuckets = Self.valueBuckets
        self.registry = registry
        self.factory = factory
        http = HTTPMetrics(factory: factory)
        runs = RunMetrics(factory: factory)
        ingest = IngestMetrics(factory: factory)
        database = DatabaseMetrics(factory: factory)
        cache = CacheMetrics(factory: factory)
        process = ProcessMetrics(factory: factory)
    }

    /// The Prometheus text exposition (version 0.0.4) of every series, with `# HELP` lines for the known families.
    /// Gauges read on demand (process figures) are refreshed first.
    public func exposition() -> [UInt8] {
        process.refresh()
        return MetricHelp.annotate(registry.emitToBuffer())
    }

    /// The content type of `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Histogram buckets by metric: requests are milliseconds to seconds, runs seconds to hours.
    static let durationBuckets: [String: [Duration]] = [
        HTTPMetrics.durationName: [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            .seconds(10), .seconds(30),
        ],
        RunMetrics.durationName: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400].map {
            .seconds($0)
        },
        DatabaseMetrics.acquireWaitName: [
            .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ],
    ]

    static let valueBuckets: [String: [Double]] = [
        IngestMetrics.requestSizeName: [256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216]
    ]
}
