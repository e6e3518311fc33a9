import Logging

/// The fields every log line written while a run executes carries (`run_id`, `stage`, and `trace_id` when the
/// triggering request had one), whichever logger writes it: stage code that logs through a service-wide logger (the
/// webhook and object-storage clients) gets them from the metadata provider the executable bootstraps with.
public enum RunLogMetadata {
    /// Bound for the duration of a run on its thread.
    @TaskLocal public static var current: Logger.Metadata = [:]

    /// The provider to bootstrap `LoggingSystem` with.
    public static let provider = Logger.MetadataProvider { current }

    /// The fields of a run.
    static func fields(runID: Int64, stage: String, traceID: String?) -> Logger.Metadata {
        var fields: Logger.Metadata = ["run_id": "\(runID)", "stage": "\(stage)"]
        if let traceID { fields["trace_id"] = "\(traceID)" }
        return fields
    }
}
