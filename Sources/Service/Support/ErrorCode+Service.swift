import Fields

/// The codes of the errors the service's routes answer (beyond `invalid_parameter` and the HTTP server's own).
extension ErrorCode {
    public static let invalidCursor = ErrorCode(rawValue: "invalid_cursor")
    public static let invalidJSON = ErrorCode(rawValue: "invalid_json")
    public static let unsupportedMediaType = ErrorCode(rawValue: "unsupported_media_type")
    public static let tooManyRecords = ErrorCode(rawValue: "too_many_records")
    public static let unauthorized = ErrorCode(rawValue: "unauthorized")
    public static let insufficientScope = ErrorCode(rawValue: "insufficient_scope")
    public static let databaseBusy = ErrorCode(rawValue: "database_busy")
    public static let databaseUnavailable = ErrorCode(rawValue: "database_unavailable")
    public static let runInProgress = ErrorCode(rawValue: "run_in_progress")
    public static let runFailed = ErrorCode(rawValue: "run_failed")
    /// The run was cancelled (the service shut down before it finished: 503; a cancel request: 409); the body carries
    /// the run record.
    public static let runCancelled = ErrorCode(rawValue: "run_cancelled")
    /// A cancel request for a run that has already finished; the body carries the run record.
    public static let runFinished = ErrorCode(rawValue: "run_finished")
    /// A trigger arrived after shutdown began; no run was started.
    public static let serviceStopping = ErrorCode(rawValue: "service_stopping")
    /// A run failed because its data cannot support it (too few answers to calibrate); answered 422.
    public static let insufficientData = ErrorCode(rawValue: "insufficient_data")
    public static let noEstimate = ErrorCode(rawValue: "no_estimate")
    /// A backfill was asked for while another runs (one at a time); the error names the running one.
    public static let backfillInProgress = ErrorCode(rawValue: "backfill_in_progress")
    /// A cancel was asked for a backfill that has already finished.
    public static let backfillFinished = ErrorCode(rawValue: "backfill_finished")
    /// An `Idempotency-Key` already used within 24 h for a request with other parameters; answered 422.
    public static let idempotencyKeyReused = ErrorCode(rawValue: "idempotency_key_reused")
}
