import Foundation
import JSON
import Logging
import Postgres
import Synchronization
import UTCTime

/// Starts and tracks runs. Each run gets its own database connection, which holds the stage's advisory lock for the
/// whole run (so one run per stage across replicas and the CLI), and executes on its own thread, so a client that
/// stops waiting does not stop the run. Results and the final run row are committed in one transaction; a dry run
/// rolls its results back and records only the run.
public final class PipelineRunner: Sendable {
    public struct Database: Sendable {
        public var connectionString: String
        public var name: String?

        public init(connectionString: String, name: String? = nil) {
            self.connectionString = connectionString
            self.name = name
        }
    }

    let database: Database
    let services: StageServices
    let logger: Logger
    /// Called after a run's results are committed (not for dry runs or failures).
    let onCommit: (@Sendable (RunRecord) -> Void)?
    let active = Mutex<[Int64: RunHandle]>([:])
    /// Set when shutdown began (`stopAccepting`): `start` then refuses, so no run starts that exit would cut off.
    let stopping = Mutex(false)
    /// How long a trigger may wait for the database: connecting, the session set-up and the claim of the run.
    let acquireTimeout: Double
    /// Outcomes told to clients while the database was down, written as soon as it is back.
    let pendingOutcomes: PendingOutcomes
    /// Told when runs start and end (metrics).
    let observer: (any RunObserving)?

    public init(
        database: Database, services: StageServices, logger: Logger,
        onCommit: (@Sendable (RunRecord) -> Void)? = nil, acquireTimeout: Double = 10,
        observer: (any RunObserving)? = nil
    ) {
        self.observer = observer
        self.database = database
        self.acquireTimeout = acquireTimeout
        self.services = services
        self.logger = logger
        self.onCommit = onCommit
        self.pendingOutcomes = PendingOutcomes(database: database, logger: logger)
    }

    /// Starts a run and returns at once. Throws `ParameterError` when the configured services cannot serve the
    /// request, `IdempotentReplayError` when the request's idempotency key already started a run (no new run;
    /// `IdempotencyKeyReusedError` for other parameters), `RunConflictError` when the stage is already running, `RunnerStoppingError` once shutdown began, and
    /// a `PostgresError` of kind `timeout` when the database does not connect, set up and claim the run within
    /// `acquireTimeout` (a stalled database holds a trigger no longer than a pooled request).
    public func start(_ request: StageRequest) throws -> RunHandle {
        try request.job.validate(services)
        if stopping.withLock({ $0 }) { throw RunnerStoppingError() }
        let deadline = Deadline(seconds: acquireTimeout)
        let connection = try PostgresConnection(
            connectionString: database.connectionString, database: database.name,
            applicationName: Self.provisionalApplicationName, parameters: Self.runConnectionParameters,
            deadline: deadline)
        let record: RunRecord
        do {
            record = try connection.withDeadline(deadline) {
                // PostgreSQL 14+: the backend checks every second that this process is still there, even
                // mid-statement or waiting for a lock, so a SIGKILLed service's run is stopped and its stage lock
                // freed within seconds. Older servers refuse that setting; runs go on without it (the keepalives
                // still apply over TCP). Each SET is its own statement, so a refused one rolls back no other.
                for setting in Self.clientCheck {
                    do {
                        try connection.execute(setting)
                    } catch let error as PostgresError where error.isConnectionFailure {
                        throw error
                    } catch {
                        continue
                    }
                }
                // Outcomes this process owes go in first: the claim below marks the stage's stale running rows
                // abandoned.
                if !pendingOutcomes.isEmpty { try pendingOutcomes.write(on: connection) }
                // The claim's wait for a concurrent claim ends before the deadline, so a conflict stays a 409 and
                // does not turn into a timeout.
                let claimed = try RunClaim.claim(
                    connection, stage: request.stage, parameters: request.parameters, dryRun: request.dryRun,
                    backfillID: request.backfillID, lockWait: min(RunClaim.startLockWait, deadline.remaining - 0.2),
                    idempotencyKey: request.idempotencyKey)
                // Named for pg_stat_activity; the run goes on without the name if this fails (it then fails at its
                // first statement anyway).
                try? connection.setApplicationName(
                    Self.applicationName(runID: claimed.runID, stage: request.stage.rawValue))
                return claimed
            }
        } catch {
            RunClaim.release(connection, stage: request.stage)
            throw error
        }
        let handle = RunHandle(initial: record, canceller: connection.cancelHandle())
        active.withLock { $0[record.runID] = handle }
        // Checked again after the run is listed: a shutdown that began meanwhile either sees it in `activeRuns`
        // (it set `stopping` after this check) or is seen here, and the run is recorded cancelled before it starts.
        if stopping.withLock({ $0 }) {
            active.withLock { _ = $0.removeValue(forKey: record.runID) }
            _ = recordEnding(record, status: .cancelled, message: Self.shutdownReason, connection: connection)
            RunClaim.release(connection, stage: request.stage)
            throw RunnerStoppingError()
        }
        observer?.runStarted(record)
        let thread = Thread { [self] in
            startMonitor(handle)
            let fields = RunLogMetadata.fields(runID: record.runID, stage: record.stage, traceID: request.traceID)
            let final = RunLogMetadata.$current.withValue(fields) {
                execute(request, record: record, connection: connection, handle: handle)
            }
            // Before the client hears the run ended, so that the next run it starts begins with this one's memory
            // returned (a trim after the answer raced the next stage: its peak included this run's 200 MB).
            RunMemory.returnFreePages()
            observer?.runFinished(final.record)
            active.withLock { _ = $0.removeValue(forKey: record.runID) }
            handle.complete(final.record, insufficientData: final.insufficientData)
        }
        thread.name = "run-\(record.runID)"
        thread.start()
        return handle
    }

    /// TCP keepalives of a run's connection: a peer (this process or its host) gone without a FIN is noticed by the
    /// server after about 2 + 2 × 1 s, and by libpq likewise (over a Unix socket they do not apply, nor are needed).
    static let runConnectionParameters: [(key: String, value: String)] = [
        ("keepalives_idle", "2"), ("keepalives_interval", "1"), ("keepalives_count", "2"),
    ]

    /// The server's side of the same keepalives (for a service host that vanished), then how often the backend of a
    /// run checks, during a statement, that the client is still connected (PostgreSQL < 14 refuses it).
    static let clientCheck: [PostgresQuery] = [
        "SET tcp_keepalives_idle = 2", "SET tcp_keepalives_interval = 1", "SET tcp_keepalives_count = 2",
        "SET client_connection_check_interval = '1s'",
    ]

    /// The `application_name` of a run's connection before its run id is known.
    static let provisionalApplicationName = PostgresConnection.defaultApplicationName + " run"

    /// The `application_name` of a run's connection (`seedtest-pipelines run 275 compute-daily-kpis`), so that an
    /// operator finds a run's backend in `pg_stat_activity`.
    public static func applicationName(runID: Int64, stage: String) -> String {
        "\(provisionalApplicationName) \(runID) \(stage)"
    }

    /// Starts a run and waits for it.
    public func run(_ request: StageRequest) throws -> RunRecord {
        try start(request).wait()
    }

    /// Writes the outcomes this process told clients but could not store yet; call it before reading run records, so
    /// that a run this process still owns is never reported abandoned. Throws when the database refuses.
    public func recordPendingOutcomes(on connection: PostgresConnection) throws {
        if !pendingOutcomes.isEmpty { try pendingOutcomes.write(on: connection) }
    }

    /// Runs still executing in this process.
    public var activeRuns: [RunHandle] { active.withLock { Array($0.values) } }

    /// Runs the job; `insufficientData` when it failed with a `StageError` saying the data cannot support the run.
    private func execute(
        _ request: StageRequest, record: RunRecord, connection: PostgresConnection, handle: RunHandle
    ) -> (record: RunRecord, insufficientData: Bool) {
        var logger = self.logger
        logger[metadataKey: "run_id"] = "\(record.runID)"
        logger[metadataKey: "stage"] = "\(request.stage.rawValue)"
        if let traceID = request.traceID { logger[metadataKey: "trace_id"] = "\(traceID)" }
        logger.info("run started", metadata: ["params": "\(JSONValue.object(record.parameters).jsonText)"])
        defer {
            // Unlock before closing: the server frees a closed session's locks only when its backend gets round to
            // it, and a caller told the run is over may start the next run at once (seen as a spurious 409 under load).
            if connection.isHealthy { try? connection.advisoryUnlock(request.stage.lockKey) }
            connection.close()
        }
        do {
            try connection.begin()
            try connection.execute(Self.batchSettings)
            let context = RunContext(
                runID: record.runID, connection: connection, logger: logger, startedAt: record.startedAt,
                dryRun: request.dryRun, services: services, progress: handle.progress)
            let counts = try request.job.execute(context)
            // A cancel asked for while the job computed between statements still stops it before anything is kept.
            if handle.cancelReason != nil { throw PostgresError(.query, sqlState: "57014", message: "run cancelled") }
            let final: RunRecord
            if request.dryRun {
                try connection.rollback()
                final = try RunStore.finish(connection, runID: record.runID, counts: counts)
            } else {
                final = try RunStore.finish(connection, runID: record.runID, counts: counts)
                try connection.commit()
                onCommit?(final)
            }
            logger.info(
                "run succeeded",
                metadata: [
                    "counts": "\(JSONValue.object(counts).jsonText)",
                    "duration_ms": "\(final.durationMilliseconds ?? 0)",
                ])
            return (final, false)
        } catch {
            if let reason = handle.observeCancellation() {
                logger.warning("run cancelled", metadata: ["reason": "\(reason)"])
                if connection.isHealthy { try? connection.rollback() }
                return (recordEnding(record, status: .cancelled, message: reason, connection: connection), false)
            }
            let message = Self.publicMessage(error)
            logger.error("run failed", metadata: ["error": "\(String(reflecting: error))"])
            if connection.isHealthy { try? connection.rollback() }
            let insufficient = (error as? StageError)?.insufficientData ?? false
            // Recorded, so that any replica answering a retry of this trigger (`awaitRun`) answers 422 as well.
            var failed = record
            if insufficient { failed.counts = Self.insufficientDataCounts }
            return (recordEnding(failed, status: .failed, message: message, connection: connection), insufficient)
        }
    }

    /// Records how a run ended without succeeding (`failed` or `cancelled`, `message` as its error, with
    /// `record.counts`) on the run's connection, or a fresh one if that broke. If the database is unreachable, the
    /// record the client gets is kept in `pendingOutcomes` and stored, exactly so, as soon as the database is back. A
    /// late cancel request may hit the update on the run's connection (57014), so it is tried a few times.
    func recordEnding(
        _ record: RunRecord, status: RunRecord.Status, message: String, connection: PostgresConnection
    ) -> RunRecord {
        for _ in 0..<3 where connection.isHealthy {
            do {
                return try RunStore.end(
                    connection, runID: record.runID, status: status, error: message, counts: record.counts)
            } catch  where PostgresConnection.isCancellation(error) {
                continue
            } catch {
                break
            }
        }
        if let fresh = try? PostgresConnection(
            connectionString: database.connectionString, database: database.name,
            applicationName: Self.applicationName(runID: record.runID, stage: record.stage))
        {
            defer { fresh.close() }
            if let ended = try? RunStore.end(
                fresh, runID: record.runID, status: status, error: message, counts: record.counts)
            {
                return ended
            }
        }
        var ended = record
        ended.status = status
        ended.error = message
        ended.finishedAt = Timestamp.now()
        pendingOutcomes.add(ended)
        return ended
    }

    /// Settings of a run's transaction: runs aggregate millions of rows, so they get more memory for sorts and hashes
    /// and the planner is readier to use parallel workers than for the service's short queries.
    static let batchSettings: PostgresQuery = """
        SET LOCAL work_mem = '256MB'; SET LOCAL parallel_setup_cost = 100; SET LOCAL parallel_tuple_cost = 0.01
        """

    /// What a client is told about a failure: a stage's own message, a database error's class, never SQL or a trace.
    static func publicMessage(_ error: any Error) -> String {
        switch error {
        case let stageError as StageError:
            return stageError.message
        case let database as PostgresError:
            if database.isConnectionFailure { return "the database connection failed during the run" }
            return "the database rejected a statement (SQLSTATE \(database.sqlState ?? "unknown"))"
        default:
            return "internal error; see the service log for this run id"
        }
    }
}
