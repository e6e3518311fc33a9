import Foundation
import JSON
import TestSupport

/// deploy/ read the way the tests need it: paths, YAML documents as JSON (through PyYAML, which
/// scripts/install-test-tools.sh installs), and the series the service exposes at /metrics.
enum DeployFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = root.appendingPathComponent("deploy")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Every YAML document of the file at `path` (a multi-document file gives several), as JSON.
    static func documents(atPath path: String) throws -> [JSONValue] {
        let output = try python([
            "-c",
            "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1], encoding='utf-8')))))",
            path,
        ])
        return try JSONParser.parse(Array(output.utf8)).arrayValue ?? []
    }

    /// The one document of deploy/`name`.
    static func document(_ name: String) throws -> JSONValue {
        let all = try documents(atPath: path(name))
        guard all.count == 1, let first = all.first else {
            throw TestClientError("\(name) holds \(all.count) documents, expected 1")
        }
        return first
    }

    /// The metric families the service exposes (the agreed list in the README's Operations section); histograms also
    /// have `_bucket`, `_count` and `_sum` series.
    static let histograms: Set<String> = [
        "seedtest_http_request_duration_seconds", "seedtest_run_duration_seconds",
        "seedtest_ingest_request_size_bytes", "seedtest_db_pool_acquire_wait_seconds",
    ]
    static let families: Set<String> = histograms.union([
        "seedtest_http_requests_in_flight", "seedtest_http_connections_open", "seedtest_http_connections_refused_total",
        "seedtest_http_request_bytes_total", "seedtest_http_response_bytes_total", "seedtest_runs_total",
        "seedtest_runs_running", "seedtest_run_rows_written_total", "seedtest_stage_last_success_timestamp_seconds",
        "seedtest_stage_last_run_timestamp_seconds", "seedtest_stage_last_failure_timestamp_seconds",
        "seedtest_backfill_dates_done", "seedtest_backfill_dates_planned", "seedtest_ingest_attempts_total",
        "seedtest_db_pool_size", "seedtest_db_pool_in_use", "seedtest_db_pool_waiting",
        "seedtest_db_pool_acquire_timeouts_total", "seedtest_db_connection_failures_total",
        "seedtest_db_reconnects_total", "seedtest_kpi_cache_hits_total", "seedtest_kpi_cache_misses_total",
        "seedtest_kpi_cache_invalidations_total",
    ])

    /// Whether `name` is a series the service exposes (a family, or a histogram's bucket, count or sum).
    static func isExposed(_ name: String) -> Bool {
        if families.contains(name) { return true }
        return ["_bucket", "_count", "_sum"].contains { suffix in
            name.hasSuffix(suffix) && histograms.contains(String(name.dropLast(suffix.count)))
        }
    }

    /// The `seedtest_...` identifiers a PromQL expression names.
    static func seedtestNames(in expression: String) -> Set<String> {
        let words = expression.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return Set(words.map(String.init).filter { $0.hasPrefix("seedtest_") })
    }
}
