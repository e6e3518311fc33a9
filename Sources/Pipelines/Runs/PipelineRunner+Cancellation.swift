import Foundation
import Postgres

/// Cancelling runs at shutdown: when the grace period is over, the runs still going are cancelled (their statements
/// through `PQcancel`), rolled back and recorded `cancelled` with the reason, and their waiting clients answered.
extension PipelineRunner {
    /// The reason recorded for runs cut off by a shutdown.
    public static let shutdownReason = "cancelled: the service shut down before the run finished (grace period over)"

    /// Refuses every later `start` (`RunnerStoppingError`): called when shutdown begins, so that a trigger arriving
    /// after `cancelAll` took its list of runs cannot start one that exit then cuts off.
    public func stopAccepting() {
        stopping.withLock { $0 = true }
    }

    /// Cancels every active run with `reason` and waits until they have finished or `deadline` passes, repeating the
    /// cancel request every 0.2 s (a run computing between statements is stopped at its next one). Cancel requests
    /// are sent on threads of their own (`RunHandle.requestCancel`), so a stalled database cannot hold this past
    /// `deadline`. Returns the final records of the runs that were active, finished or not. Also stops accepting runs.
    public func cancelAll(reason: String, until deadline: Date) -> [RunRecord] {
        stopAccepting()
        let runs = activeRuns
        while Date() < deadline {
            let remaining = runs.filter { !$0.isFinished }
            if remaining.isEmpty { break }
            for run in remaining { run.requestCancel(reason: reason) }
            _ = remaining[0].wait(seconds: min(0.2, deadline.timeIntervalSinceNow))
        }
        return runs.map(\.record)
    }

    /// Tries, for at most `seconds`, to store the outcomes told to clients but not stored yet (a run cancelled while
    /// the database was down); for shutdown, after which no retry is left. Returns the run ids left unwritten.
    public func flushPendingOutcomes(within seconds: Double) -> [Int64] {
        guard !pendingOutcomes.isEmpty else { return [] }
        let deadline = Deadline(seconds: seconds)
        if let connection = try? PostgresConnection(
            connectionString: database.connectionString, database: database.name,
            applicationName: PostgresConnection.defaultApplicationName + " run outcomes", deadline: deadline)
        {
            try? connection.withDeadline(deadline) { try pendingOutcomes.write(on: connection) }
            connection.close()
        }
        return pendingOutcomes.runIDs.sorted()
    }
}

/// A trigger arrived after shutdown began: no run is started (answered 503 with `Retry-After`, for another replica).
public struct RunnerStoppingError: Error, CustomStringConvertible {
    public var description: String { "the service is shutting down and starts no more runs; retry on another replica" }
}
