/// Every setting of the service, once: flag, environment variable, accepted values, default and meaning. `resolve`
/// applies the rows to flags and the environment alike; `serve --help` and the README's configuration table are
/// written from them (`ConfigurationTableTests` holds the README to this list).
extension ServiceConfiguration {
    public static let settings: [Setting] = [
        .optional(
            flag: "database-url", environment: "DATABASE_URL", \.databaseURL, defaultValue: "embedded cluster",
            "PostgreSQL URL; without it a private cluster runs in the state directory"),
        .text(
            flag: "state-dir", environment: "SEEDTEST_STATE_DIR", \.stateDirectory, "where the embedded cluster lives"),
        .text(flag: "bind", environment: "SEEDTEST_BIND", \.http.host, "address to listen on"),
        .integer(flag: "port", environment: "PORT", \.http.port, 0...65_535, "port to listen on"),
        .optional(
            flag: "admin-token", environment: "PIPELINES_ADMIN_TOKEN", \.adminToken,
            values: .secret(minimumLength: minimumTokenLength),
            "bearer token for every POST"),
        .optional(
            flag: "read-token", environment: "PIPELINES_READ_TOKEN", \.readToken,
            values: .secret(minimumLength: minimumTokenLength),
            "bearer token for GETs under /v1 (the admin token also works; needs the admin token to be set)"),
        .onOff(flag: "insecure-no-auth", \.insecureNoAuth, "allow listening beyond loopback without tokens"),
        .integer(
            flag: "db-pool-size", environment: "DB_POOL_SIZE", \.databasePoolSize, 1...512, "database connections"),
        .number(
            flag: "db-acquire-timeout", environment: "DB_ACQUIRE_TIMEOUT_SECONDS", \.databaseAcquireTimeout, 0.01...600,
            "seconds a request may wait for a database connection (free, newly opened or checked) before answering 503"),
        .integer(
            flag: "worker-threads", environment: "WORKER_THREADS", \.http.workerThreads, 1...1024,
            "request handler threads (runs use a separate pool)"),
        .integer(
            flag: "event-loops", environment: "EVENT_LOOPS", \.http.eventLoops, 1...64,
            defaultValue: "cores, at most 4", "event-loop threads that own the connections"),
        .integer(
            flag: "max-connections", environment: "MAX_CONNECTIONS", \.http.maxConnections, 1...1_000_000,
            "open connections before new ones get 503"),
        .integer(
            flag: "max-body-bytes", environment: "MAX_BODY_BYTES", \.http.defaultBodyLimit, 1024...(1 << 30),
            "default request body limit in bytes (ingest routes allow 64 MiB)"),
        .number(
            flag: "header-timeout", environment: "HEADER_TIMEOUT_SECONDS", \.http.headerTimeout, 0.01...3600,
            "seconds for a request head to arrive"),
        .number(
            flag: "body-timeout", environment: "BODY_TIMEOUT_SECONDS", \.http.bodyDeadlineBase, 0.01...3600,
            "seconds a request body may take beyond its length at --body-min-rate; later it gets 408"),
        .integer(
            flag: "body-min-rate", environment: "BODY_MIN_RATE_BYTES", \.http.bodyMinimumRate, 1...(1 << 30),
            "bytes per second a request body earns time at beyond --body-timeout"),
        .number(
            flag: "idle-timeout", environment: "IDLE_TIMEOUT_SECONDS", \.http.idleTimeout, 0.01...86_400,
            "seconds before an idle keep-alive connection closes"),
        .number(
            flag: "grace-period", environment: "SHUTDOWN_GRACE_SECONDS", \.http.gracePeriod, 0...3600,
            "seconds in-flight requests and runs get at shutdown; runs still going then are cancelled (exit status 3)"),
        .integer(
            flag: "response-cache-bytes", environment: "RESPONSE_CACHE_BYTES", \.responseCacheBytes, 0...(1 << 40),
            "memory for cached KPI reads (bodies, headers, keys) in bytes; the oldest go first; 0 caches nothing"),
        .text(
            flag: "log-format", environment: "LOG_FORMAT", \.logFormat,
            "log line format on stderr: logfmt or json (one JSON object per line, the same fields)"),
        .optional(
            flag: "stage-schedules", environment: "STAGE_SCHEDULES", \.stageSchedules,
            defaultValue: "the deploy/ CronJob times",
            "UTC cron schedules that /v1/status checks stages against, replacing the defaults of the stages named: "
                + "stage=minute hour day month weekday, separated by ;"),
        .integer(
            flag: "status-late-grace-minutes", environment: "STATUS_LATE_GRACE_MINUTES", \.statusLateGraceMinutes,
            0...100_000, "minutes after a scheduled time without a success before /v1/status calls a stage late"),
        .logLevel(
            flag: "log-level", environment: "LOG_LEVEL", \.logLevel, "least severe level logged (logfmt on stderr)"),
        .onOff(flag: "no-access-log", \.noAccessLog, "do not log one line per request"),
        .onOff(
            flag: "load-demo-data", \.loadDemoDataIfEmpty,
            "load a small demo data set when the database has no attempts"),
        .optional(
            flag: nil, environment: "INACTIVITY_WEBHOOK_URL", \.inactivityWebhookURL, values: .url,
            "where detect-inactivity posts newly inactive learners (needs INACTIVITY_WEBHOOK_SECRET)"),
        .optional(
            flag: nil, environment: "INACTIVITY_WEBHOOK_SECRET", \.inactivityWebhookSecret,
            values: .secret(minimumLength: minimumTokenLength),
            "HMAC-SHA256 key that signs every webhook post (see Webhook signatures)"),
        .optional(
            flag: nil, environment: "REPORTS_S3_BUCKET", \.objectStorageSettings.bucket,
            "S3-compatible bucket for generate-weekly-report with \"upload\":true (then the endpoint and keys are required)"
        ),
        .optional(
            flag: nil, environment: "REPORTS_S3_ENDPOINT", \.objectStorageSettings.endpoint, values: .url,
            "S3 endpoint for report uploads"),
        .text(
            flag: nil, environment: "REPORTS_S3_REGION", \.objectStorageSettings.region, "S3 region for report uploads"),
        .optional(
            flag: nil, environment: "REPORTS_S3_ACCESS_KEY_ID", \.objectStorageSettings.accessKeyID,
            "S3 access key id for report uploads"),
        .optional(
            flag: nil, environment: "REPORTS_S3_SECRET_ACCESS_KEY", \.objectStorageSettings.secretAccessKey,
            "S3 secret access key for report uploads"),
    ]

    /// The setting whose flag is `--flag`, if any.
    public static func setting(flag: String) -> Setting? {
        settings.first { $0.flag == flag }
    }
}
