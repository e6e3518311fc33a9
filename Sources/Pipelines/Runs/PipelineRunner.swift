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
    private let active = Mutex<[Int64: RunHandle]>([:])

    public init(
        database: Database, services: StageServices, logger: Logger,
        onCommit: (@Sendable (RunRecord) -> Void)? = nil
    ) {
        self.database = database
        self.services = services
        self.logger = logger
        self.onCommit = onCommit
    }

    /// Starts a run and returns at once. Throws `ParameterError` when the configured services cannot serve the
    /// request and `RunConflictError` when the stage is already running.
    public func start(_ request: StageRequest) throws -> RunHandle {
        try request.job.validate(services)
        let connection = try PostgresConnection(
            connectionString: database.connectionString, database: database.name,
            applicationName: Self.provisionalApplicationName)
        let record: RunRecord
        do {
            record = try RunClaim.claim(
                connection, stage: request.stage, parameters: request.parameters, dryRun: request.dryRun)
        } catch {
            RunClaim.release(connection, stage: request.stage)
            throw error
        }
        // Named for pg_stat_activity; the run goes on without the name if this fails (it then fails at its first
        // statement anyway).
        try? connection.setApplicationName(Self.applicationName(runID: record.runID, stage: request.stage.rawValue))
        let handle = RunHandle(initial: record)
        active.withLock { $0[record.runID] = handle }
        let thread = Thread { [self] in
            let final = execute(request, record: record, connection: connection)
            active.withLock { _ = $0.removeValue(forKey: record.runID) }
            handle.complete(final.record, insufficientData: final.insufficientData)
        }
        thread.name = "run-\(record.runID)"
        thread.start()
        return handle
    }

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

    /// Runs still executing in this process.
    public var activeRuns: [RunHandle] { active.withLock { Array($0.values) } }

    /// Runs the job; `insufficientData` when it failed with a `StageError` saying the data cannot support the run.
    private func execute(_ request: StageRequest, record: RunRecord, connection: PostgresConnection) -> (
        record: RunRecord, insufficientData: Bool
    ) {
        var logger = self.logger
        logger[metadataKey: "run_id"] = "\(record.runID)"
        logger[metadataKey: "stage"] = "\(request.stage.rawValue)"
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
                dryRun: request.dryRun, services: services)
            let counts = try request.job.execute(context)
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
            let message = Self.publicMessage(error)
            logger.error("run failed", metadata: ["error": "\(String(reflecting: error))"])
            if connection.isHealthy { try? connection.rollback() }
            let insufficient = (error as? StageError)?.insufficientData ?? false
            return (recordFailure(record, message: message, connection: connection), insufficient)
        }
    }

    /// Records the failure on the run's connection, or a fresh one if it broke; if the database is unreachable the
    /// row stays "running" and is reported abandoned later (the lock died with the connection).
    private func recordFailure(_ record: RunRecord, message: String, connection: PostgresConnection) -> RunRecord {
        if connection.isHealthy, let failed = try? RunStore.fail(connection, runID: record.runID, message: message) {
            return failed
        }
        if let fresh = try? PostgresConnection(
            connectionString: database.connectionString, database: database.name,
            applicationName: Self.applicationName(runID: record.runID, stage: record.stage))
        {
            defer { fresh.close() }
            if let failed = try? RunStore.fail(fresh, runID: record.runID, message: message) { return failed }
        }
        var failed = record
        failed.status = .failed
        failed.error = message
        failed.finishedAt = Timestamp.now()
        return failed
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

/// A started run; `wait()` blocks until it has finished.
public final class RunHandle: Sendable {
    public let runID: Int64
    private let state: Mutex<RunRecord>
    private let insufficient = Mutex(false)
    private let done = DispatchSemaphore(value: 0)

    init(initial: RunRecord) {
        runID = initial.runID
        state = Mutex(initial)
    }

    /// The record as last known (running until finished).
    public var record: RunRecord { state.withLock { $0 } }

    func complete(_ record: RunRecord, insufficientData: Bool = false) {
        insufficient.withLock { $0 = insufficientData }
        state.withLock { $0 = record }
        done.signal()
    }

    /// Whether the finished run failed because its data cannot support it (see `StageError.insufficientData`).
    public var failedForInsufficientData: Bool { insufficient.withLock { $0 } }

    public func wait() -> RunRecord {
        done.wait()
        done.signal()
        return record
    }

    /// Waits at most `seconds`; true when the run finished.
    public func wait(seconds: Double) -> Bool {
        guard done.wait(timeout: .now() + seconds) == .success else { return false }
        done.signal()
        return true
    }
}
