import JSON
import Pipelines
import Postgres
import TestSupport
import Testing

/// The `Idempotency-Key` store on its own, as the stage triggers and backfills use it.
@Suite struct IdempotencyKeysTests {
    @Test func theFingerprintIsOfTheCanonicalParameters() {
        let one = IdempotencyKeys.fingerprint(["date": "2026-11-29", "lookback_days": 30, "dry_run": false])
        let same = IdempotencyKeys.fingerprint(["dry_run": false, "lookback_days": 30, "date": "2026-11-29"])
        let other = IdempotencyKeys.fingerprint(["date": "2026-11-28", "lookback_days": 30, "dry_run": false])
        #expect(one == same, "member order does not matter")
        #expect(one != other)
        #expect(one.count == 64 && one.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func aClaimedKeyNamesItsTargetAndRefusesOtherParameters() throws {
        let database = try TestDatabase.create()
        try database.pool.withConnection { connection in
            let fingerprint = IdempotencyKeys.fingerprint(["from": "2026-11-01"])
            try connection.begin()
            #expect(try IdempotencyKeys.claim(connection, scope: "backfill", key: "k", fingerprint: fingerprint) == nil)
            try IdempotencyKeys.bind(connection, scope: "backfill", key: "k", targetID: 42)
            try connection.commit()
            try connection.begin()
            #expect(try IdempotencyKeys.claim(connection, scope: "backfill", key: "k", fingerprint: fingerprint) == 42)
            #expect(throws: IdempotencyKeyReusedError.self) {
                _ = try IdempotencyKeys.claim(
                    connection, scope: "backfill", key: "k", fingerprint: IdempotencyKeys.fingerprint([:]))
            }
            try connection.rollback()
            // A claim rolled back leaves nothing behind.
            try connection.begin()
            #expect(try IdempotencyKeys.claim(connection, scope: "other", key: "k", fingerprint: fingerprint) == nil)
            try connection.rollback()
            let keys: [String] = try connection.query("SELECT scope FROM idempotency_keys").rows.map {
                try $0.decode(0)
            }
            #expect(keys == ["backfill"])
            // Expired keys are deleted lazily by the next claim, whatever their scope.
            try connection.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
            try connection.begin()
            #expect(try IdempotencyKeys.claim(connection, scope: "other", key: "k2", fingerprint: fingerprint) == nil)
            try IdempotencyKeys.bind(connection, scope: "other", key: "k2", targetID: 7)
            try connection.commit()
            let left: [String] = try connection.query("SELECT scope || ' ' || key FROM idempotency_keys").rows.map {
                try $0.decode(0)
            }
            #expect(left == ["other k2"])
        }
        #expect(throws: (any Error).self) { _ = try IdempotencyKeys.validated("") }
        #expect(try IdempotencyKeys.validated("job-7f3a") == "job-7f3a")
    }
}
