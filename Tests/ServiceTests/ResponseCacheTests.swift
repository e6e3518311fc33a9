import Foundation
import JSON
import Postgres
import TestSupport
import Testing

@testable import Service

/// Cached KPI reads are never stale: writes by SQL notify, runs invalidate at once, a lost listener bypasses; requests
/// that differ only in how their query is spelled share an entry.
@Suite(.ownThreads) struct ResponseCacheTests {
    static func kpi(_ app: TestService) throws -> Double? {
        try app.json(app.request("GET", "/v1/users/golden_u2/kpis"))["weeks"]?.arrayValue?.first?["kpis"]?["E_t"]?
            .doubleValue
    }

    /// golden_u2's E_t from one page of the week listing, requested with `query`.
    static func listedKPI(_ app: TestService, _ query: String) throws -> Double? {
        let items = try app.json(app.request("GET", "/v1/kpis?\(query)"))["items"]?.arrayValue ?? []
        return items.first { $0["user_id"]?.stringValue == "golden_u2" }?["kpis"]?["E_t"]?.doubleValue
    }

    static func cacheEntries(_ app: TestService) throws -> Int {
        try #require(app.service.context).cache.usage.entries
    }

    /// Waits until the change listener has connected (until then nothing is cached) and says whether it did.
    static func cacheBecomesUsable(_ app: TestService) throws -> Bool {
        let cache = try #require(app.service.context).cache
        return eventually(10) { cache.currentGeneration() != nil }
    }

    /// The backend of the service's change listener (the connection whose last statement was LISTEN), if connected.
    static func listenerPID(_ connection: PostgresConnection) throws -> Int? {
        let result = try connection.query(
            """
            SELECT pid::int8 FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()
            """)
        return result.rowCount == 0 ? nil : try result[0].decode(0, as: Int.self)
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

    /// The listener's backend is terminated and kept from reconnecting (its database refuses new connections; the
    /// service's pool keeps the one it has). A write then notifies nobody, so only a read that bypasses the cache can
    /// see it. Once connections are allowed again the listener comes back on a new backend and the cache is used.
    @Test func aLostListenerBypassesTheCache() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        let admin = try app.database.connect()
        defer { admin.close() }
        #expect(try Self.eventually { try Self.listenerPID(admin) != nil })
        let listener = try #require(try Self.listenerPID(admin))
        #expect(try Self.cacheBecomesUsable(app))
        let computed = try #require(try Self.kpi(app))
        // The run's notification may still be on its way and clear the entry once more: read until it stays.
        #expect(
            try Self.eventually {
                _ = try Self.kpi(app)
                return try Self.cacheEntries(app) == 1
            }, "reads are cached")

        // PostgreSQL will not close the database a connection is in: the server's default database does it.
        let server = try PostgresConnection(connectionString: app.database.serverConnectionString)
        defer { server.close() }
        let database = app.database.name
        try server.execute("ALTER DATABASE \(identifier: database) ALLOW_CONNECTIONS false")
        defer { try? server.execute("ALTER DATABASE \(identifier: database) ALLOW_CONNECTIONS true") }
        let terminated = try admin.query("SELECT pg_terminate_backend(\(listener)::int4)")
        #expect(try terminated[0].decode(0, as: Bool.self))
        #expect(try Self.eventually { try Self.listenerPID(admin) == nil }, "the listener's backend is gone")
        _ = try admin.query("UPDATE weekly_kpi SET kpis = kpis || '{\"E_t\": 0.25}' WHERE user_id = 'golden_u2'")
        #expect(computed != 0.25)
        #expect(try Self.eventually { try Self.kpi(app) == 0.25 }, "the read bypassed the stale entry")
        #expect(try Self.cacheEntries(app) == 0, "nothing is cached while the listener is down")
        // Every read while it is down goes to the database: a second unheard write is visible at once.
        _ = try admin.query("UPDATE weekly_kpi SET kpis = kpis || '{\"E_t\": 0.5}' WHERE user_id = 'golden_u2'")
        #expect(try Self.kpi(app) == 0.5)

        try server.execute("ALTER DATABASE \(identifier: database) ALLOW_CONNECTIONS true")
        #expect(try Self.eventually(10) { try Self.listenerPID(admin).map { $0 != listener } ?? false })
        #expect(
            try Self.eventually {
                _ = try Self.kpi(app)
                return try Self.cacheEntries(app) == 1
            })
    }

    /// `?week_start=…&limit=10` and `?limit=10&week_start=…` (or a percent-encoded spelling) are one entry: after a
    /// write that notifies nobody, each spelling is still served the first one's answer, while another limit reads
    /// the database. The run's own notification reaches the listener at a time of its own; an attempt during which the
    /// cache was invalidated (its generation moved) proves nothing and is made again, with limits of its own: an entry
    /// an earlier attempt cached after the invalidation must not answer it.
    @Test func equivalentQueriesShareAnEntry() throws {
        let app = try TestService()
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(try Self.cacheBecomesUsable(app))
        let cache = try #require(app.service.context).cache
        var conclusive = false
        for attempt in 0..<20 where !conclusive {
            let generation = cache.currentGeneration()
            let entriesBefore = try Self.cacheEntries(app)
            let limit = String(10 + 2 * attempt)
            let otherLimit = String(11 + 2 * attempt)
            let first = try #require(try Self.listedKPI(app, "week_start=2026-11-23&limit=\(limit)"))
            let written = 0.375 + Double(attempt) / 1024
            try app.database.pool.withConnection { connection in
                // Triggers do not fire under the replica role: this write sends no notification.
                try connection.execute("SET session_replication_role = replica")
                defer { try? connection.execute("RESET session_replication_role") }
                _ = try connection.query(
                    """
                    UPDATE weekly_kpi SET kpis = kpis || jsonb_build_object('E_t', \(written)::float8)
                    WHERE user_id = 'golden_u2'
                    """)
            }
            let reordered = try Self.listedKPI(app, "limit=\(limit)&week_start=2026-11-23")
            // The limit's last digit percent-encoded: "12" is spelled "1%32".
            let encodedLimit = "\(limit.dropLast())%3\(limit.suffix(1))"
            let encoded = try Self.listedKPI(app, "limit=\(encodedLimit)&week_start=2026%2D11%2D23")
            let other = try Self.listedKPI(app, "week_start=2026-11-23&limit=\(otherLimit)")
            let entries = try Self.cacheEntries(app) - entriesBefore
            guard generation != nil, cache.currentGeneration() == generation else { continue }
            conclusive = true
            #expect(first != written)
            #expect(reordered == first)
            #expect(encoded == first)
            #expect(other == written, "a different query reads anew")
            #expect(entries == 2)
        }
        #expect(conclusive, "the cache was invalidated during every attempt")
    }

    /// `RESPONSE_CACHE_BYTES=0` keeps nothing: a write that notifies nobody is visible at once.
    @Test func aZeroByteBoundCachesNothing() throws {
        #expect(try ServiceConfiguration.fromEnvironment(["RESPONSE_CACHE_BYTES": "0"]).responseCacheBytes == 0)
        let app = try TestService { $0.responseCacheBytes = 0 }
        defer { app.stop() }
        try Attempts.insert(Attempts.goldenExample(), into: app.database)
        _ = try app.request("POST", "/v1/pipelines/compute-daily-kpis", json: ["date": "2026-11-29"])
        #expect(try Self.cacheBecomesUsable(app))
        _ = try #require(try Self.kpi(app))
        try app.database.pool.withConnection { connection in
            try connection.execute("SET session_replication_role = replica")
            defer { try? connection.execute("RESET session_replication_role") }
            _ = try connection.query(
                "UPDATE weekly_kpi SET kpis = kpis || '{\"E_t\": 0.625}' WHERE user_id = 'golden_u2'")
        }
        #expect(try Self.kpi(app) == 0.625)
        #expect(try Self.cacheEntries(app) == 0)
    }
}
