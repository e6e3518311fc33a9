import Foundation
import JSON
import Postgres

/// A trigger whose `Idempotency-Key` already started a run: no new run was started; the answer is that run's.
public struct IdempotentReplayError: Error, Sendable, CustomStringConvertible {
    /// The run the key started.
    public let runID: Int64

    public var description: String { "this Idempotency-Key already started run \(runID)" }
}

extension PipelineRunner {
    /// How often `awaitRun` reads the record of a run another process executes.
    static let replayPollInterval = 0.2
    /// The counts of a run that failed because its data cannot support it (`StageError.insufficientData`).
    static let insufficientDataCounts = JSONObject([("insufficient_data", .bool(true))])

    /// Waits for a run started earlier, by this process or any replica, to finish, and returns its record (nil when
    /// there is no such run). A run of this process is awaited on its handle; another's is polled through the
    /// database, where a run whose process died is reported failed (abandoned), so the wait always ends. Like a
    /// trigger's own wait it has no deadline of its own, but once this process begins shutting down it returns the
    /// record as it stands (still running), so shutdown is not held up. `insufficientData`: the run failed because its
    /// data cannot support it (422, as its own trigger answered).
    public func awaitRun(runID: Int64, pool: PostgresPool) throws -> (record: RunRecord, insufficientData: Bool)? {
        if let handle = activeRuns.first(where: { $0.runID == runID }) {
            while !handle.wait(seconds: Self.replayPollInterval) {
                if stopping.withLock({ $0 }) { return (handle.record, false) }
            }
            return (handle.record, handle.failedForInsufficientData)
        }
        while true {
            let record = try pool.withConnection { connection in
                try recordPendingOutcomes(on: connection)
                return try RunStore.get(connection, runID: runID)
            }
            guard let record else { return nil }
            if record.status != .running || stopping.withLock({ $0 }) {
                return (record, record.status == .failed && record.counts == Self.insufficientDataCounts)
            }
            Thread.sleep(forTimeInterval: Self.replayPollInterval)
        }
    }
}
