import Fields
import Foundation
import Logging
import Postgres
import Synchronization
import UTCTime

/// Starts backfills: each replays the nightly schedule (`BackfillSchedule`) over its days as ordinary runs through the
/// `PipelineRunner`, on a thread of this process. The backfill's own connection holds `BackfillStore.lockKey` for its
/// whole life (one backfill at a time across replicas, and a dead process's backfill is reported abandoned) and polls
/// its row for a cancel request. Stage locks are taken per run, so nightly triggers are served between its runs.
public final class Backfiller: Sendable {
    let runner: PipelineRunner
    let logger: Logger
    private let active = Mutex<[Int64: BackfillHandle]>([:])
    /// How often the driver looks for a cancel request while a run goes.
    static let pollInterval = 0.5
    /// How long the driver waits before retrying a step whose stage is running (a nightly trigger).
    static let conflictRetryInterval = 1.0

    public init(runner: PipelineRunner, logger: Logger) {
        self.runner = runner
        self.logger = logger
    }

    /// The scope of backfills' idempotency keys.
    static let idempotencyScope = "backfill"

    /// Backfills going on in this process.
    public var activeBackfills: [BackfillHandle] { active.withLock { Array($0.values) } }

    /// Validates every step, claims the backfill and starts its driver; returns at once. Throws `FieldError` when a
    /// step's parameters or the configured services refuse the request, `BackfillConflictError` when a backfill is
    /// running, `BackfillReplayError` when the request's idempotency key already started one (with the same body;
    /// `IdempotencyKeyReusedError` with another), `RunnerStoppingError` once shutdown began, and database errors (a
    /// timeout past the runner's acquire timeout).
    public func start(_ request: BackfillRequest) throws -> BackfillHandle {
        if runner.stopping.withLock({ $0 }) { throw RunnerStoppingError() }
        let steps = try Self.stageRequests(BackfillSchedule(request), services: runner.services)
        let deadline = Deadline(seconds: runner.acquireTimeout)
        let connection = try PostgresConnection(
            connectionString: runner.database.connectionString, database: runner.database.name,
            applicationName: PostgresConnection.defaultApplicationName + " backfill",
            parameters: PipelineRunner.runConnectionParameters, deadline: deadline)
        let record: BackfillRecord
        do {
            record = try connection.withDeadline(deadline) {
                // As for runs: the backend notices a dead service within seconds and frees the backfill lock.
                for setting in PipelineRunner.clientCheck { try? connection.execute(setting) }
                return try Self.claim(connection, request: request, lockWait: min(2, deadline.remaining - 0.2))
            }
        } catch {
            if connection.isHealthy { try? connection.advisoryUnlock(BackfillStore.lockKey) }
            connection.close()
            throw error
        }
        try? connection.setApplicationName(
            PostgresConnection.defaultApplicationName + " backfill \(record.backfillID)")
        let handle = BackfillHandle(initial: record)
        active.withLock { $0[record.backfillID] = handle }
        let thread = Thread { [self] in
            let final = drive(record, request: request, steps: steps, connection: connection, handle: handle)
            if connection.isHealthy { try? connection.advisoryUnlock(BackfillStore.lockKey) }
            connection.close()
            active.withLock { _ = $0.removeValue(forKey: record.backfillID) }
            handle.complete(final)
        }
        thread.name = "backfill-\(record.backfillID)"
        thread.start()
        return handle
    }

    /// Every step's run request, per day, each checked against the configured services.
    static func stageRequests(_ schedule: BackfillSchedule, services: StageServices) throws(FieldError)
        -> [[StageRequest]]
    {
        let today = Day.today()
        var days: [[StageRequest]] = []
        for index in 0..<schedule.request.dayCount {
            var requests: [StageRequest] = []
            for step in schedule.steps(dayAt: index) {
                let request = try StageRequest.parse(stage: step.stage, body: step.body, today: today)
                try request.job.validate(services)
                requests.append(request)
            }
            days.append(requests)
        }
        return days
    }

    /// Takes the backfill lock (waiting at most `lockWait` for a claim or an ending in progress), fails backfills
    /// left running by dead processes and records the new one. On error the session may hold the lock.
    private static func claim(
        _ connection: PostgresConnection, request: BackfillRequest, lockWait: Double
    ) throws -> BackfillRecord {
        let until = Date(timeIntervalSinceNow: max(0, lockWait))
        try connection.begin()
        do {
            // The key first: a retry of a backfill that is running must find it, not meet its lock.
            if let key = request.idempotencyKey,
                let existing = try IdempotencyKeys.claim(
                    connection, scope: idempotencyScope, key: key,
                    fingerprint: IdempotencyKeys.fingerprint(request.parameters))
            {
                throw BackfillReplayError(backfillID: existing)
            }
            while try !connection.tryAdvisoryLock(BackfillStore.lockKey) {
                let running = try BackfillStore.runningBackfillID(connection)
                if running != nil || Date() >= until { throw BackfillConflictError(runningBackfillID: running) }
                Thread.sleep(forTimeInterval: 0.005)
            }
            try BackfillStore.markAbandoned(connection)
            let record = try BackfillStore.insert(connection, request: request)
            if let key = request.idempotencyKey {
                try IdempotencyKeys.bind(connection, scope: idempotencyScope, key: key, targetID: record.backfillID)
            }
            try connection.commit()
            return record
        } catch {
            if connection.isHealthy && connection.isInTransaction { try? connection.rollback() }
            throw error
        }
    }
}
