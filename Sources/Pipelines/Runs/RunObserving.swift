/// Told when runs of a `PipelineRunner` start and end (the service's metrics). Called on the runner's threads; must
/// not block.
public protocol RunObserving: Sendable {
    /// A run was claimed and its thread is starting.
    func runStarted(_ record: RunRecord)
    /// A run ended (succeeded, failed or cancelled), `record` as the client is told.
    func runFinished(_ record: RunRecord)
}

extension RunRecord {
    /// Rows the run wrote, by table, from its counts (each stage names its own count); empty for a dry run or a run
    /// that did not succeed.
    public var rowsWritten: [(table: String, count: Int)] {
        guard status == .succeeded, !dryRun else { return [] }
        let byStage: [String: [(key: String, table: String)]] = [
            Stage.computeDailyKPIs.rawValue: [("rows_written", "weekly_kpi")],
            Stage.aggregateFeaturesDaily.rawValue: [("rows_written", "features_topic_daily")],
            Stage.calibrateIRT.rawValue: [("items_updated", "mirt_item_params")],
            Stage.detectInactivity.rawValue: [("kpi_rows_written", "weekly_kpi")],
            Stage.generateWeeklyReport.rawValue: [("reports_written", "report_artifacts")],
        ]
        return (byStage[stage] ?? []).compactMap { entry in
            guard case .int(let count)? = counts[entry.key] else { return nil }
            return (table: entry.table, count: Int(count))
        }
    }
}
