import Foundation
import JSON
import Postgres
import Storage

/// Claims a stage for a new run: takes the stage's lock and records the run, or finds the run that holds it.
///
/// Taking the lock and inserting the row are separate statements, so a second trigger could find the lock taken
/// before the holder's row exists and answer 409 without naming the running run. Every claim therefore runs in one
/// transaction that first takes the stage's start lock (a transaction-level advisory lock, released at commit): a
/// claim that finds the stage lock taken has waited for the holder's claim to commit, so the holder's row is visible.
/// A claim that finds the stage lock held but no running row has met a run between its final commit and its unlock,
/// and waits for the lock. Every wait is bounded (`startLockWait` in all); past it the claim goes on as before (without
/// the start lock, or answering 409 without a run id).
///
/// With an idempotency key the claim first claims the key in the same transaction (`IdempotencyKeys`): a live key
/// for the same parameters ends the claim with `IdempotentReplayError` (no new run), and a new key is bound to the run
/// it records, or rolled back with it when the claim fails.
enum RunClaim {
    /// How long a claim waits for another claim of the same stage to commit.
    static let startLockWait = 2.0

    /// Whether the run a retry's key points to ended without an outcome of its own: cancelled because its service
    /// shut down, or abandoned because its process died. Such a run did nothing, so the retry starts the run anew and
    /// the key is bound to that one (a retry is exactly what its client is told to do), instead of being answered the
    /// cut-off run for 24 hours.
    static func wasCutOff(_ connection: PostgresConnection, runID: Int64) throws -> Bool {
        let rows = try connection.query(
            """
            SELECT (status = 'cancelled' AND error = \(PipelineRunner.shutdownReason))
                OR (status = 'failed' AND error = \(RunStore.abandonedMessage))
            FROM pipeline_runs WHERE run_id = \(runID)
            """)
        guard rows.rowCount == 1 else { return false }
        return try rows[0].decode(0, as: Bool.self)
    }

    /// Takes `stage`'s lock on `connection` and records the run, waiting at most `lockWait` seconds for a concurrent
    /// claim. Throws `RunConflictError` when another run holds the
    /// lock, and database errors as they come; on any error the session may still hold the stage lock, which the
    /// caller releases (`release`).
    static func claim(
        _ connection: PostgresConnection, stage: Stage, parameters: JSONObject, dryRun: Bool,
        backfillID: Int64? = nil, lockWait: Double = startLockWait, idempotencyKey: String? = nil
    ) throws -> RunRecord {
        // Read committed whatever the database's default, so each statement sees the claims committed before it.
        try connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        do {
            if let idempotencyKey,
                let runID = try IdempotencyKeys.claim(
                    connection, scope: stage.rawValue, key: idempotencyKey,
                    fingerprint: IdempotencyKeys.fingerprint(parameters)),
                try !wasCutOff(connection, runID: runID)
            {
                try connection.rollback()
                throw IdempotentReplayError(runID: runID)
            }
            let deadline = Date(timeIntervalSinceNow: max(0, lockWait))
            try waitForStartLock(connection, stage: stage, until: deadline)
            while try !connection.tryAdvisoryLock(stage.lockKey) {
                let running = try RunStore.runningRunID(connection, stage: stage)
                // No running row: the holder has committed its final row and is about to unlock; wait for it.
                if running != nil || Date() >= deadline {
                    try connection.rollback()
                    throw RunConflictError(stage: stage, runningRunID: running)
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
            try RunStore.markAbandoned(connection, stage: stage.rawValue)
            let record = try RunStore.insert(
                connection, stage: stage, parameters: parameters, dryRun: dryRun, backfillID: backfillID)
            if let idempotencyKey {
                try IdempotencyKeys.bind(connection, scope: stage.rawValue, key: idempotencyKey, targetID: record.runID)
            }
            try connection.commit()
            return record
        } catch {
            if connection.isHealthy && connection.isInTransaction { try? connection.rollback() }
            throw error
        }
    }

    /// Gives up the stage lock after a failed claim (a no-op when this session does not hold it) and closes the
    /// connection. Unlocking first matters: the server frees a closed session's locks only when its backend gets round
    /// to it, and the next trigger would meet a spurious 409.
    static func release(_ connection: PostgresConnection, stage: Stage) {
        if connection.isHealthy { try? connection.advisoryUnlock(stage.lockKey) }
        connection.close()
    }

    /// Polls for the stage's start lock until `deadline`; a claim holds it for a few short statements.
    private static func waitForStartLock(_ connection: PostgresConnection, stage: Stage, until deadline: Date) throws {
        while try !connection.tryAdvisoryTransactionLock(stage.startLockKey) {
            guard Date() < deadline else { return }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }
}

extension Stage {
    /// Held by a claim of this stage from before it takes `lockKey` until its run row is committed (`RunClaim`).
    var startLockKey: AdvisoryLockKey {
        AdvisoryLockKey(namespace: StorageLocks.namespace, name: "stage-start:" + rawValue)
    }
}
