import Foundation
import JSON
import TestSupport
import Testing

/// GET /metrics: the series an operator alerts and graphs on, with values, from the real service.
@Suite(.ownThreads) struct MetricsRouteTests {
    static func scrape(_ app: TestService) throws -> PrometheusScrape {
        let response = try app.request("GET", "/metrics", token: TestService.readToken)
        try #require(response.status == 200, "\(response.text)")
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        return PrometheusScrape(response.text)
    }

    @Test func scrapeShowsRequestsRunsIngestPoolAndProcess() throws {
        let app = try TestService()
        defer { app.stop() }
        for _ in 0..<3 { #expect(try app.request("GET", "/healthz", token: nil).status == 200) }
        let attempts: [JSONValue] = [
            ["user_id": "u0001", "item_id": "q1", "correct": true, "answered_at": "2026-11-20T10:00:00Z"],
            ["user_id": "u0002", "item_id": "q1", "correct": false, "answered_at": "2026-11-20T10:00:00Z"],
        ]
        #expect(try app.request("POST", "/v1/attempts", json: .array(attempts)).status == 200)
        #expect(try app.request("POST", "/v1/attempts", json: .array(attempts)).status == 200)
        #expect(
            try app.request(
                "POST", "/v1/attempts", body: Array("[{".utf8), headers: [("Content-Type", "application/json")]
            ).status == 400)
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        let run = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(try app.json(run)["status"] == "succeeded")
        _ = try app.request("GET", "/v1/users/u0001/kpis", token: TestService.readToken)
        _ = try app.request("GET", "/v1/users/u0001/kpis", token: TestService.readToken)
        _ = try app.request("GET", "/no/such/path/u0001", token: nil)

        let scrape = try Self.scrape(app)
        let healthz = ["route": "/healthz", "method": "GET", "status_class": "2xx"]
        #expect((scrape.value("seedtest_http_request_duration_seconds_count", healthz) ?? 0) >= 3)
        #expect(
            scrape.value("seedtest_http_request_duration_seconds_bucket", healthz.merging(["le": "+Inf"]) { $1 }) != nil
        )
        let kpis = ["route": "/v1/users/{user_id}/kpis", "method": "GET"]
        #expect(scrape.value("seedtest_http_request_duration_seconds_count", kpis) == 2)
        #expect(scrape.value("seedtest_http_request_duration_seconds_count", ["route": "unmatched"]) == 1)
        #expect(scrape.value("seedtest_http_requests_in_flight") == 1, "the scrape itself")
        #expect((scrape.value("seedtest_http_connections_open") ?? 0) >= 1)
        #expect(scrape.value("seedtest_http_connections_refused_total") == 0)
        #expect(
            (scrape.value("seedtest_http_request_bytes_total", ["route": "/v1/attempts", "method": "POST"]) ?? 0) > 100)
        #expect((scrape.value("seedtest_http_response_bytes_total", ["route": "/healthz"]) ?? 0) > 0)
        // No label anywhere carries a user id, only templates.
        let leaked = scrape.samples.filter { $0.labels.values.contains { $0.contains("u0001") } }
        #expect(leaked.isEmpty, "\(leaked.map(\.labels))")

        let stage = ["stage": "compute-daily-kpis"]
        #expect(scrape.value("seedtest_runs_total", stage.merging(["status": "succeeded"]) { $1 }) == 1)
        #expect(scrape.value("seedtest_runs_total", stage.merging(["status": "failed"]) { $1 }) == 0)
        #expect(scrape.value("seedtest_run_duration_seconds_count", stage) == 1)
        #expect(scrape.value("seedtest_runs_running", stage) == 0)
        #expect(
            (scrape.value("seedtest_run_rows_written_total", stage.merging(["table": "weekly_kpi"]) { $1 }) ?? 0) >= 1)
        let now = Date().timeIntervalSince1970
        let lastSuccess = try #require(scrape.value("seedtest_stage_last_success_timestamp_seconds", stage))
        #expect(abs(lastSuccess - now) < 120)
        #expect((scrape.value("seedtest_stage_last_run_timestamp_seconds", stage) ?? 0) > 0)
        #expect(scrape.value("seedtest_stage_last_failure_timestamp_seconds", stage) == 0)
        for other in ["aggregate-features-daily", "calibrate-irt", "detect-inactivity", "generate-weekly-report"] {
            #expect(scrape.value("seedtest_stage_last_success_timestamp_seconds", ["stage": other]) == 0, "\(other)")
        }
        #expect(scrape.value("seedtest_backfill_dates_done") == 0)
        #expect(scrape.value("seedtest_backfill_dates_planned") == 0)

        #expect(scrape.value("seedtest_ingest_attempts_total", ["outcome": "received"]) == 4)
        #expect(scrape.value("seedtest_ingest_attempts_total", ["outcome": "inserted"]) == 2)
        #expect(scrape.value("seedtest_ingest_attempts_total", ["outcome": "duplicate"]) == 2)
        #expect(scrape.value("seedtest_ingest_attempts_total", ["outcome": "rejected"]) == 1)
        #expect(scrape.value("seedtest_ingest_request_size_bytes_count") == 3)

        #expect(scrape.value("seedtest_db_pool_size", ["pool": "main"]) == 4)
        #expect((scrape.value("seedtest_db_pool_acquire_wait_seconds_count", ["pool": "main"]) ?? 0) >= 1)
        #expect(scrape.value("seedtest_db_pool_acquire_timeouts_total", ["pool": "main"]) == 0)
        #expect(scrape.value("seedtest_kpi_cache_misses_total") != nil)
        #expect((scrape.value("seedtest_kpi_cache_invalidations_total") ?? 0) >= 1, "the run's commit")

        #expect((scrape.value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((scrape.value("process_open_fds") ?? 0) > 3)
        #expect((scrape.value("process_max_fds") ?? 0) >= (scrape.value("process_open_fds") ?? 0))
        #expect((scrape.value("process_cpu_seconds_total") ?? 0) > 0)
        let started = try #require(scrape.value("process_start_time_seconds"))
        #expect(started <= now + 1 && started > now - 24 * 3600)
        #expect(scrape.text.contains("# HELP seedtest_runs_total "))
    }

    @Test func metricsNeedTheReadTokenWhenTokensAreConfigured() throws {
        let app = try TestService()
        defer { app.stop() }
        let missing = try app.request("GET", "/metrics", token: nil)
        #expect(missing.status == 401)
        #expect(try app.request("GET", "/metrics", token: "nope-nope-nope-nope").status == 401)
        #expect(try app.request("GET", "/metrics", token: TestService.readToken).status == 200)
        #expect(try app.request("GET", "/metrics", token: TestService.adminToken).status == 200)
    }

    /// The last-success gauge comes from `pipeline_runs`: a run on replica A shows on replica B within 10 s, although
    /// B had already read (and cached) the stage as never succeeded.
    @Test func lastSuccessOfARunOnOneReplicaShowsOnTheOther() throws {
        let replicaA = try TestService()
        defer { replicaA.stop() }
        let replicaB = try TestService(database: replicaA.database)
        defer { replicaB.stop() }
        let stage = ["stage": "detect-inactivity"]
        #expect(try Self.scrape(replicaB).value("seedtest_stage_last_success_timestamp_seconds", stage) == 0)
        let run = try replicaA.request("POST", "/v1/pipelines/detect-inactivity", json: [:])
        #expect(try replicaA.json(run)["status"] == "succeeded")
        let ranAt = Date()
        var seen = 0.0
        while seen == 0 && Date().timeIntervalSince(ranAt) < 12 {
            seen = try Self.scrape(replicaB).value("seedtest_stage_last_success_timestamp_seconds", stage) ?? 0
            if seen == 0 { Thread.sleep(forTimeInterval: 0.5) }
        }
        #expect(seen > 0)
        #expect(Date().timeIntervalSince(ranAt) <= 10.5, "seen after \(Date().timeIntervalSince(ranAt)) s")
        #expect(
            try Self.scrape(replicaB).value(
                "seedtest_runs_total", ["stage": "detect-inactivity", "status": "succeeded"]) == 0, "B ran nothing")
    }
}
