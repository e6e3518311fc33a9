import Foundation
import Logging
import Postgres

/// Each run's monitor: a thread with its own autocommit connection that, every `monitorInterval` while the run goes
/// on, writes the run's progress to its row (outside the run's transaction, so every replica shows it) and reads
/// whether a cancel was requested there (by the cancel route on any replica). A requested cancel is passed to the run's
/// handle, which cancels the run's statement and sets the stop flag its stage checks; it is repeated at every step
/// until the run has noticed, as a run computing between statements is stopped only at its next one.
extension PipelineRunner {
    /// How often a run's monitor writes progress and looks for a cancel request.
    static let monitorInterval = 0.25

    /// How long one monitor step may wait for the database (connecting included) before its connection is dropped.
    static let monitorStepSeconds = 2.0

    /// The `application_name` of a run monitor's connection.
    static func monitorApplicationName(runID: Int64) -> String {
        PostgresConnection.defaultApplicationName + " monitor \(runID)"
    }

    /// Starts the monitor of `handle`'s run; it ends by itself once the run has finished.
    func startMonitor(_ handle: RunHandle) {
        let thread = Thread { [self] in monitor(handle) }
        thread.name = "run-\(handle.runID)-monitor"
        thread.start()
    }

    /// Cancels a run of this process at once (the monitor would otherwise notice the request at its next step).
    /// Returns false when the run is not running here.
    @discardableResult
    public func cancelLocally(runID: Int64, requestID: String) -> Bool {
        guard let handle = active.withLock({ $0[runID] }) else { return false }
        handle.requestCancel(reason: RunStore.cancelReason(requestID: requestID))
        return true
    }

    private func monitor(_ handle: RunHandle) {
        var connection: PostgresConnection?
        defer { connection?.close() }
        var written: RunProgress.Snapshot?
        var failures = 0
        while !handle.wait(seconds: Self.monitorInterval) {
            let snapshot = handle.progress.snapshot
            do {
                let deadline = Deadline(seconds: Self.monitorStepSeconds)
                let open: PostgresConnection
                if let connection, connection.isHealthy {
                    open = connection
                } else {
                    connection?.close()
                    open = try PostgresConnection(
                        connectionString: database.connectionString, database: database.name,
                        applicationName: Self.monitorApplicationName(runID: handle.runID), deadline: deadline)
                    connection = open
                }
                let outcome = try open.withDeadline(deadline) {
                    try RunStore.reportProgress(
                        open, runID: handle.runID, progress: snapshot == written ? nil : snapshot?.json)
                }
                if outcome.running { written = snapshot }
                failures = 0
                if let requestID = outcome.cancelRequestID {
                    handle.requestCancel(reason: RunStore.cancelReason(requestID: requestID))
                }
            } catch {
                // The run goes on without progress reports or remote cancels while the database does not answer; its
                // own connection decides its fate.
                connection?.close()
                connection = nil
                failures += 1
                if failures == 1 {
                    logger.warning(
                        "run monitor cannot reach the database",
                        metadata: ["run_id": "\(handle.runID)", "error": "\(String(reflecting: error))"])
                }
            }
        }
    }
}
