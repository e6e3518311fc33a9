import Metrics
import Synchronization

/// Runs of this replica (counts, durations, running, rows written) and, for every stage, the timestamps read from
/// `pipeline_runs` (true on every replica) and the backfill progress.
public final class RunMetrics: Sendable {
    static let durationName = "seedtest_run_duration_seconds"

    private let factory: any MetricsFactory
    private let running = Mutex<[String: Int]>([:])
    let backfillDone: Metrics.Gauge
    let backfillTotal: Metrics.Gauge

    init(factory: any MetricsFactory) {
        self.factory = factory
        backfillDone = Metrics.Gauge(label: "seedtest_backfill_days_done", dimensions: [], factory: factory)
        backfillTotal = Metrics.Gauge(label: "seedtest_backfill_days_total", dimensions: [], factory: factory)
    }

    /// Creates the series of every stage at zero, so that each is present before its first run.
    public func register(stages: [String]) {
        for stage in stages {
            runningGauge(stage).record(0)
            setTimestamps(stage: stage, lastSuccess: nil, lastRun: nil, lastFailure: nil)
            for status in ["succeeded", "failed", "cancelled"] { _ = runsCounter(stage, status) }
        }
        backfillDone.record(0)
        backfillTotal.record(0)
    }

    /// A run of this replica started.
    public func started(stage: String) {
        let now = running.withLock { counts in
            counts[stage, default: 0] += 1
            return counts[stage, default: 0]
        }
        runningGauge(stage).record(now)
    }

    /// A run of this replica ended with `status` after `seconds`, having written `rows` rows by table.
    public func finished(stage: String, status: String, seconds: Double, rows: [(table: String, count: Int)]) {
        let now = running.withLock { counts in
            counts[stage] = max(0, counts[stage, default: 0] - 1)
            return counts[stage, default: 0]
        }
        runningGauge(stage).record(now)
        runsCounter(stage, status).increment()
        Metrics.Timer(label: Self.durationName, dimensions: [("stage", stage)], factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1e9))
        for (table, count) in rows where count > 0 {
            Counter(
                label: "seedtest_run_rows_written_total", dimensions: [("stage", stage), ("table", table)],
                factory: factory
            ).increment(by: count)
        }
    }

    /// The last success, last run start and last failure of `stage` as unix seconds (0 when there was none).
    public func setTimestamps(stage: String, lastSuccess: Double?, lastRun: Double?, lastFailure: Double?) {
        let dimensions = [("stage", stage)]
        Metrics.Gauge(label: "seedtest_stage_last_success_timestamp_seconds", dimensions: dimensions, factory: factory)
            .record(lastSuccess ?? 0)
        Metrics.Gauge(label: "seedtest_stage_last_run_timestamp_seconds", dimensions: dimensions, factory: factory)
            .record(lastRun ?? 0)
        Metrics.Gauge(label: "seedtest_stage_last_failure_timestamp_seconds", dimensions: dimensions, factory: factory)
            .record(lastFailure ?? 0)
    }

    /// The running or latest backfill's progress (zeros when there is none).
    public func setBackfill(daysDone: Int, daysTotal: Int) {
        backfillDone.record(daysDone)
        backfillTotal.record(daysTotal)
    }

    private func runningGauge(_ stage: String) -> Metrics.Gauge {
        Metrics.Gauge(label: "seedtest_runs_running", dimensions: [("stage", stage)], factory: factory)
    }

    private func runsCounter(_ stage: String, _ status: String) -> Metrics.Counter {
        Metrics.Counter(
            label: "seedtest_runs_total", dimensions: [("stage", stage), ("status", status)], factory: factory)
    }
}
