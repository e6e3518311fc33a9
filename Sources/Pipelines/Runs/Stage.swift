import Postgres
import Storage

/// The pipeline stages, by the names used in routes, CronJobs and `pipeline_runs.stage`.
public enum Stage: String, Sendable, CaseIterable {
    case computeDailyKPIs = "compute-daily-kpis"
    case aggregateFeaturesDaily = "aggregate-features-daily"
    case calibrateIRT = "calibrate-irt"
    case detectInactivity = "detect-inactivity"
    case generateWeeklyReport = "generate-weekly-report"

    /// The advisory lock that allows one run of this stage at a time across every replica and the CLI.
    public var lockKey: AdvisoryLockKey {
        AdvisoryLockKey(namespace: StorageLocks.namespace, name: "stage:" + rawValue)
    }
}
