/// An advisory lock key in PostgreSQL's two-integer form, so that locks of this service (one namespace) never collide
/// with another application's.
public struct AdvisoryLockKey: Sendable, Hashable {
    public var namespace: Int32
    public var id: Int32

    public init(namespace: Int32, id: Int32) {
        self.namespace = namespace
        self.id = id
    }

    /// A key derived from a name with FNV-1a, stable across processes and versions.
    public init(namespace: Int32, name: String) {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        self.init(namespace: namespace, id: Int32(bitPattern: hash))
    }
}

extension PostgresConnection {
    /// Takes a session-level lock if it is free; held until `advisoryUnlock` or the session ends.
    public func tryAdvisoryLock(_ key: AdvisoryLockKey) throws(PostgresError) -> Bool {
        try query("SELECT pg_try_advisory_lock(\(key.namespace)::int4, \(key.id)::int4)")[0].decode(0)
    }

    /// Waits for a session-level lock.
    public func advisoryLock(_ key: AdvisoryLockKey) throws(PostgresError) {
        try query("SELECT pg_advisory_lock(\(key.namespace)::int4, \(key.id)::int4)")
    }

    public func advisoryUnlock(_ key: AdvisoryLockKey) throws(PostgresError) {
        try query("SELECT pg_advisory_unlock(\(key.namespace)::int4, \(key.id)::int4)")
    }

    /// Takes a transaction-level lock if it is free; released at commit or rollback.
    public func tryAdvisoryTransactionLock(_ key: AdvisoryLockKey) throws(PostgresError) -> Bool {
        try query("SELECT pg_try_advisory_xact_lock(\(key.namespace)::int4, \(key.id)::int4)")[0].decode(0)
    }

    /// Whether any session holds the lock (from `pg_locks`), without taking it.
    public func isAdvisoryLockHeld(_ key: AdvisoryLockKey) throws(PostgresError) -> Bool {
        try query(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND classid = \(key.namespace)::int4::oid AND objid = \(key.id)::int4::oid AND objsubid = 2)
            """
        )[0].decode(0)
    }
}
