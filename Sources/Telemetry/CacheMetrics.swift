import Metrics

/// The KPI read cache: hits, misses and invalidations.
public final class CacheMetrics: Sendable {
    public let hits: Metrics.Counter
    public let misses: Metrics.Counter
    public let invalidations: Metrics.Counter

    init(factory: any MetricsFactory) {
        hits = Metrics.Counter(label: "seedtest_kpi_cache_hits_total", dimensions: [], factory: factory)
        misses = Metrics.Counter(label: "seedtest_kpi_cache_misses_total", dimensions: [], factory: factory)
        invalidations = Metrics.Counter(
            label: "seedtest_kpi_cache_invalidations_total", dimensions: [], factory: factory)
    }
}
