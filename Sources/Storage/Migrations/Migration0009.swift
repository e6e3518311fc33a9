extension Migrations {
    /// Retry-safe triggers: an `Idempotency-Key` names the work (a run, a backfill) it started, per scope (a stage
    /// name, `backfill`), with a fingerprint of the request's parameters. A key is claimed in the same transaction
    /// that records its work, so a committed key always points at something; `target_id` is null only inside that
    /// transaction. Keys older than 24 hours are ignored and replaced.
    static let idempotencyKeys = """
        CREATE TABLE idempotency_keys (
            scope text COLLATE "C" NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 64),
            key text COLLATE "C" NOT NULL CHECK (key ~ '^[!-~]{1,255}$'),
            fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
            target_id bigint,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (scope, key)
        );
        CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
        """
}
