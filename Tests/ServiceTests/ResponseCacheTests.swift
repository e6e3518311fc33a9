import Foundation
import JSON
import TestSupport
import Testing

/// Cached KPI reads are never stale: writes by SQL notify, runs invalidate at once, a lost listener bypasses.
@Suite struct ResponseCacheTests {
    static func kpi(_ app: TestService) throws -> Double? {
        try app.json(app.request("GET", "/v1/users/golden_u2/kpis"))["weeks"]?.arrayValue?.first?["kpis"]?["E_t"]?
            .doubleValue
    }

    /// Polls until `condition` holds (the notification travels through PostgreSQL asynchronously).
    static func eventually(_ seconds: Double = 5, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }

    @Test func writesInvalidateCachedReads() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        let computed = try #require(try Self.kpi(app))
        #expect(try Self.kpi(app) == computed, "served again (from the cache)")
        // A write outside the service (an operator's SQL) reaches the cache through the trigger's notification.
        try app.database.pool.withConnection { connection in
            _ = try connection.query(
                "UPDATE weekly_kpi SET kpis = kpis || '{\"E_t\": 0.125}' WHERE user_id = 'golden_u2'")
        }
        #expect(try Self.eventually { try Self.kpi(app) == 0.125 })
        // A run of this service invalidates before it answers: the next read sees its results at once.
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(try Self.kpi(app) == computed)
    }

    @Test func aLostListenerBypassesTheCache() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        _ = try Self.kpi(app)
        try app.database.pool.withConnection { connection in
            _ = try connection.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN%'
                """)
            _ = try connection.query(
                "UPDATE weekly_kpi SET kpis = kpis || '{\"E_t\": 0.25}' WHERE user_id = 'golden_u2'")
        }
        #expect(try Self.eventually { try Self.kpi(app) == 0.25 })
    }
}
