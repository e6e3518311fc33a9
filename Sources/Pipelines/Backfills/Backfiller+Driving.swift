import Fields
import Foundation
import Logging
import Postgres
import UTCTime

/// The driver: replays a backfill's steps one run at a time, oldest day first, and records how it ended.
extension Backfiller {
    /// How one step ended.
    enum StepOutcome {
        case succeeded
        /// The run failed, or could not be started (`run` nil); `message` says why.
        case failed(message: String, runID: Int64?)
        case cancelled(reason: String)
    }

    func drive(
        _ record: BackfillRecord, request: BackfillRequest, steps: [[StageRequest]], connection: PostgresConnection,
        handle: BackfillHandle
    ) -> BackfillRecord {
        let id = record.backfillID
        var logger = self.logger
        logger[metadataKey: "backfill_id"] = "\(id)"
        logger.info("backfill started", metadata: ["days": "\(request.dayCount)", "from": "\(request.from.iso)"])
        let started = Date()
        do {
            for (index, requests) in steps.enumerated() {
                let day = request.from.advanced(by: index)
                for var step in requests {
                    step.backfillID = id
                    switch try runStep(step, day: day, daysDone: index, connection: connection, handle: handle) {
                    case .succeeded:
                        continue
                    case .failed(let message, let runID):
                        logger.error("backfill failed", metadata: ["error": "\(message)"])
                        return finish(record, .failed, error: message, failedRunID: runID, connection: connection)
                    case .cancelled(let reason):
                        logger.warning("backfill cancelled", metadata: ["reason": "\(reason)"])
                        return finish(record, .cancelled, error: reason, connection: connection)
                    }
                }
                try BackfillStore.progress(connection, backfillID: id, day: day, runID: nil, daysDone: index + 1)
                handle.update(daysDone: index + 1)
            }
        } catch {
            let message = "the backfill's own database connection failed: \(PipelineRunner.publicMessage(error))"
            logger.error("backfill failed", metadata: ["error": "\(String(reflecting: error))"])
            return finish(record, .failed, error: message, connection: connection)
        }
        let seconds = Date().timeIntervalSince(started)
        logger.info(
            "backfill succeeded",
            metadata: [
                "days": "\(request.dayCount)", "seconds": "\(seconds)",
                "days_per_second": "\(Double(request.dayCount) / max(seconds, 0.001))",
            ])
        return finish(record, .succeeded, error: nil, connection: connection)
    }

    /// Runs one step, retrying while another run of its stage (a nightly trigger) holds the stage, and cancelling
    /// the run when the backfill's row says so. Throws only errors of the backfill's own connection.
    private func runStep(
        _ step: StageRequest, day: Day, daysDone: Int, connection: PostgresConnection, handle: BackfillHandle
    ) throws -> StepOutcome {
        let id = handle.backfillID
        let label = "\(step.stage.rawValue) for \(day.iso)"
        while true {
            if let requester = try BackfillStore.cancelRequest(connection, backfillID: id) {
                return .cancelled(reason: "cancelled by request \(requester)")
            }
            let run: RunHandle
            do {
                run = try runner.start(step)
            } catch is RunConflictError {
                Thread.sleep(forTimeInterval: Self.conflictRetryInterval)
                continue
            } catch is RunnerStoppingError {
                return .cancelled(reason: "cancelled: the service shut down during the backfill")
            } catch let error as FieldError {
                return .failed(message: "\(label) could not start: \(error.message)", runID: nil)
            } catch {
                return .failed(
                    message: "\(label) could not start: \(PipelineRunner.publicMessage(error))", runID: nil)
            }
            handle.update(currentRunID: run.runID)
            try BackfillStore.progress(connection, backfillID: id, day: day, runID: run.runID, daysDone: daysDone)
            while !run.wait(seconds: Self.pollInterval) {
                // A broken connection here must not leave the run unwatched: the run goes on to its end either way.
                guard let requester = try? BackfillStore.cancelRequest(connection, backfillID: id) else { continue }
                run.requestCancel(reason: "cancelled: backfill \(id) was cancelled by request \(requester)")
            }
            let final = run.record
            switch final.status {
            case .succeeded:
                return .succeeded
            case .cancelled:
                return .cancelled(reason: final.error ?? "run \(final.runID) (\(label)) was cancelled")
            case .failed, .running:
                return .failed(
                    message: "run \(final.runID) (\(label)) failed: \(final.error ?? "no reason recorded")",
                    runID: final.runID)
            }
        }
    }

    /// Records the end on the backfill's connection, or a fresh one if that broke; the record as known otherwise
    /// (the row is then reported abandoned once the connection's lock is gone).
    private func finish(
        _ record: BackfillRecord, _ status: BackfillRecord.Status, error: String?, failedRunID: Int64? = nil,
        connection: PostgresConnection
    ) -> BackfillRecord {
        let id = record.backfillID
        if connection.isHealthy,
            let ended = try? BackfillStore.finish(
                connection, backfillID: id, status: status, error: error, failedRunID: failedRunID)
        {
            return ended
        }
        if let fresh = try? PostgresConnection(
            connectionString: runner.database.connectionString, database: runner.database.name,
            applicationName: PostgresConnection.defaultApplicationName + " backfill \(id)")
        {
            defer { fresh.close() }
            if let ended = try? BackfillStore.finish(
                fresh, backfillID: id, status: status, error: error, failedRunID: failedRunID)
            {
                return ended
            }
            if let stored = try? BackfillStore.get(fresh, backfillID: id) { return stored }
        }
        var ended = record
        ended.status = status
        ended.error = error
        ended.failedRunID = failedRunID
        ended.finishedAt = Timestamp.now()
        return ended
    }
}
