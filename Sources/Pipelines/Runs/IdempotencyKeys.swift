import Fields
import Hashing
import JSON
import Postgres

/// The `Idempotency-Key` store (`idempotency_keys`): a key names the work it started within a scope (a stage name for
/// triggers, `backfill` for backfills), together with a fingerprint of the request's parameters, for 24 hours.
///
/// Use it inside the transaction that records the work: `claim` first, then, if it returned nil, record the work and
/// `bind` the key to its id before committing. The claim inserts the key with `ON CONFLICT DO NOTHING`, which waits
/// for a concurrent claim of the same key (another replica's open transaction) to commit or roll back, so exactly one
/// claimant wins and the others see its committed target. A claim whose transaction rolls back (the work failed to
/// start) leaves no key behind.
public enum IdempotencyKeys {
    /// How long a key is remembered; an older one is ignored and replaced.
    public static let lifetimeHours = 24
    /// The header that carries a key.
    public static let header = "Idempotency-Key"

    /// A key from a request header: 1–255 visible ASCII characters (`!` to `~`), or a `FieldError` naming the header.
    public static func validated(_ text: String) throws(FieldError) -> String {
        guard (1...255).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw FieldError(field: header, message: "\(header) must be 1 to 255 visible ASCII characters")
        }
        return text
    }

    /// The SHA-256 (hex) of a request's canonical parameters: the members sorted by key at every level, long id
    /// lists summarised as a run records them (`RecordedParameters`), written as compact JSON.
    public static func fingerprint(_ parameters: JSONObject) -> String {
        let canonical = canonicalized(.object(RecordedParameters.compact(parameters)))
        return SHA256.hexDigest(Array(canonical.jsonText.utf8))
    }

    /// Claims `key` in `scope` for new work, inside the caller's transaction. Returns nil when this transaction now
    /// holds the key (record the work, then `bind`), or the id of the work a live key already names. Throws
    /// `IdempotencyKeyReusedError` when the live key was used with other parameters.
    public static func claim(
        _ connection: PostgresConnection, scope: String, key: String, fingerprint: String
    ) throws -> Int64? {
        try connection.query(
            """
            DELETE FROM idempotency_keys
            WHERE scope = \(scope) AND key = \(key)
              AND created_at < now() - make_interval(hours => \(lifetimeHours)::int4)
            """)
        let inserted = try connection.query(
            """
            INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES (\(scope), \(key), \(fingerprint))
            ON CONFLICT (scope, key) DO NOTHING
            """
        ).affectedRows
        if inserted == 1 {
            try deleteExpired(connection)
            return nil
        }
        // The conflicting key is committed (the insert waited for its transaction), so it has its target. Its row
        // stays locked until this transaction ends, so a caller that rebinds the key (`bind`) to a new target, because
        // the old one was cut off, does so before any concurrent retry reads it.
        let existing = try connection.query(
            "SELECT fingerprint, target_id FROM idempotency_keys WHERE scope = \(scope) AND key = \(key) FOR UPDATE")
        let target: Int64? = existing.rowCount == 1 ? try existing[0].decode(1) : nil
        guard let targetID = target else {
            throw IdempotencyKeyConflictError(scope: scope)
        }
        let stored: String = try existing[0].decode(0)
        guard stored == fingerprint else {
            throw IdempotencyKeyReusedError(scope: scope, targetID: targetID)
        }
        return targetID
    }

    /// How many expired keys a claim deletes on its way (lazily, so the table stays the size of one day's keys).
    static let expiredDeletedPerClaim = 100

    /// Deletes up to `expiredDeletedPerClaim` expired keys, skipping any another transaction holds (never waits).
    static func deleteExpired(_ connection: PostgresConnection) throws {
        try connection.query(
            """
            DELETE FROM idempotency_keys WHERE (scope, key) IN (
                SELECT scope, key FROM idempotency_keys
                WHERE created_at < now() - make_interval(hours => \(lifetimeHours)::int4)
                ORDER BY created_at LIMIT \(expiredDeletedPerClaim) FOR UPDATE SKIP LOCKED
            )
            """)
    }

    /// Points the key this transaction claimed at the work it recorded.
    public static func bind(_ connection: PostgresConnection, scope: String, key: String, targetID: Int64) throws {
        try connection.query(
            "UPDATE idempotency_keys SET target_id = \(targetID) WHERE scope = \(scope) AND key = \(key)")
    }

    /// `value` with every object's members sorted by key (UTF-8 byte order), recursively.
    static func canonicalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            let sorted = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return .object(JSONObject(sorted.map { ($0.key, canonicalized($0.value)) }))
        case .array(let elements):
            return .array(elements.map(canonicalized))
        default:
            return value
        }
    }
}

/// The same `Idempotency-Key` came with other parameters than the request that first used it (422).
public struct IdempotencyKeyReusedError: Error, Sendable, CustomStringConvertible {
    public let scope: String
    /// The work the key names.
    public let targetID: Int64

    public var description: String {
        "this \(IdempotencyKeys.header) was already used within \(IdempotencyKeys.lifetimeHours) h with other "
            + "parameters (for \(scope), id \(targetID)); send a new key for a different request"
    }
}

/// A key row without a target after its claimant committed: only a writer that skipped `bind` leaves one.
public struct IdempotencyKeyConflictError: Error, Sendable, CustomStringConvertible {
    public let scope: String

    public var description: String { "the \(IdempotencyKeys.header) of \(scope) names no work" }
}
