/// `# HELP` lines for the families of this service. swift-metrics has no place for help text, so the registry emits
/// only `# TYPE` lines; each known family gets its help line inserted before its type line (promtool's lint wants
/// one).
enum MetricHelp {
    static let texts: [String: String] = [
        "seedtest_http_request_duration_seconds": "Time to answer a request, by route template, method, status class.",
        "seedtest_http_requests_in_flight": "Requests being handled now.",
        "seedtest_http_connections_open": "Open client connections.",
        "seedtest_http_connections_refused_total": "Connections refused over the connection cap.",
        "seedtest_http_request_bytes_total": "Request body bytes received, by route template and method.",
        "seedtest_http_response_bytes_total": "Response body bytes sent, by route template and method.",
        "seedtest_runs_total": "Runs finished by this replica, by stage and status.",
        "seedtest_run_duration_seconds": "Duration of runs finished by this replica, by stage.",
        "seedtest_runs_running": "Runs of this replica executing now, by stage.",
        "seedtest_run_rows_written_total": "Rows written by runs of this replica, by stage and table.",
        "seedtest_stage_last_success_timestamp_seconds":
            "Finish of the stage's latest successful run (pipeline_runs), unix seconds; 0 if none.",
        "seedtest_stage_last_run_timestamp_seconds": "Start of the stage's latest run (pipeline_runs), unix seconds.",
        "seedtest_stage_last_failure_timestamp_seconds":
            "Finish of the stage's latest failed run (pipeline_runs), unix seconds; 0 if none.",
        "seedtest_backfill_days_done": "Days done by the running or latest backfill.",
        "seedtest_backfill_days_total": "Days of the running or latest backfill.",
        "seedtest_ingest_attempts_total":
            "Attempts received, inserted and duplicate; rejected counts batches refused as invalid.",
        "seedtest_ingest_request_size_bytes": "Body bytes of POST /v1/attempts as received (compressed).",
        "seedtest_db_pool_size": "Connections open in the pool.",
        "seedtest_db_pool_in_use": "Pool connections borrowed now.",
        "seedtest_db_pool_waiting": "Borrowers waiting for a pool connection.",
        "seedtest_db_pool_acquire_wait_seconds": "Time to borrow a pool connection.",
        "seedtest_db_pool_acquire_timeouts_total": "Borrowers that got no connection within their deadline.",
        "seedtest_db_connection_failures_total": "Database connections that failed to open.",
        "seedtest_db_reconnects_total": "Broken database connections replaced by new ones.",
        "seedtest_kpi_cache_hits_total": "KPI reads answered from the cache.",
        "seedtest_kpi_cache_misses_total": "KPI reads that went to the database.",
        "seedtest_kpi_cache_invalidations_total": "Times the KPI cache was emptied by a change.",
        "process_resident_memory_bytes": "Resident memory size in bytes.",
        "process_virtual_memory_bytes": "Virtual memory size in bytes.",
        "process_cpu_seconds_total": "Total user and system CPU time spent in seconds.",
        "process_open_fds": "Number of open file descriptors.",
        "process_max_fds": "Maximum number of open file descriptors.",
        "process_start_time_seconds": "Start time of the process since unix epoch in seconds.",
    ]

    /// `text` with a help line before each `# TYPE <name> …` line of a known family.
    static func annotate(_ text: [UInt8]) -> [UInt8] {
        let typePrefix = Array("# TYPE ".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.count + texts.count * 80)
        var lineStart = 0
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count && text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let line = text[lineStart..<lineEnd]
            if line.starts(with: typePrefix) {
                let rest = line.dropFirst(typePrefix.count)
                let name = String(decoding: rest.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                if let help = texts[name] { output += Array("# HELP \(name) \(help)\n".utf8) }
            }
            output += line
            output.append(UInt8(ascii: "\n"))
            lineStart = lineEnd + 1
        }
        return output
    }
}
