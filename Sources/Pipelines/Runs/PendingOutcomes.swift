import Foundation
import Logging
import Postgres
import Synchronization

/// Outcomes of runs that a client has been told but the database has not stored yet: a run whose connection failed
/// while the database was down ends with a failed record that could not be written. The run's row still says
/// "running", and whoever read it next would report it "abandoned" with another `finished_at`, contradicting what the
/// client was told.
///
/// So the runner keeps those records here and writes them as soon as the database is back: a retry thread of its own
/// tries every `retryInterval`, and the runner writes them first on every connection it opens and before every read
/// of the run records in this process (`write(on:)`), so nothing in this process reports an owned row abandoned. A
/// sweeper in another process may still mark the row abandoned first; the write then replaces that mark
/// (`RunStore.recordOutcome`), so the stored record ends as the client was told.
final class PendingOutcomes: Sendable {
    private let records = Mutex<[Int64: RunRecord]>([:])
    /// Whether the retry thread is running.
    private let retrying = Mutex<Bool>(false)
    private let database: PipelineRunner.Database
    private let logger: Logger
    static let retryInterval = 0.2

    init(database: PipelineRunner.Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    var isEmpty: Bool { records.withLock { $0.isEmpty } }

    /// The run ids still to write.
    var runIDs: Set<Int64> { records.withLock { Set($0.keys) } }

    /// Keeps `record` until it is stored, and starts the retry thread if it is not running.
    func add(_ record: RunRecord) {
        records.withLock { $0[record.runID] = record }
        logger.warning(
            "run outcome not stored yet; it will be written when the database is back",
            metadata: ["run_id": "\(record.runID)", "status": "\(record.status.rawValue)"])
        let start = retrying.withLock { running in
            defer { running = true }
            return !running
        }
        guard start else { return }
        let thread = Thread { [self] in retryUntilWritten() }
        thread.name = "run-outcomes"
        thread.start()
    }

    /// Writes every pending outcome on `connection`; throws the first connection failure (the rest stay pending). An
    /// outcome the database refuses for another reason is logged and dropped, so that it cannot block every run.
    func write(on connection: PostgresConnection) throws {
        for record in records.withLock({ Array($0.values) }).sorted(by: { $0.runID < $1.runID }) {
            do {
                try RunStore.recordOutcome(connection, record)
                logger.info("run outcome stored after the database came back", metadata: ["run_id": "\(record.runID)"])
            } catch let error as PostgresError where !error.isConnectionFailure {
                logger.error(
                    "run outcome refused by the database; dropped",
                    metadata: ["run_id": "\(record.runID)", "error": "\(String(reflecting: error))"])
            }
            records.withLock { _ = $0.removeValue(forKey: record.runID) }
        }
    }

    /// Connects every `retryInterval` until every pending outcome is written.
    private func retryUntilWritten() {
        while true {
            let done = retrying.withLock { running in
                if records.withLock({ $0.isEmpty }) { running = false }
                return !running
            }
            if done { return }
            Thread.sleep(forTimeInterval: Self.retryInterval)
            guard
                let connection = try? PostgresConnection(
                    connectionString: database.connectionString, database: database.name,
                    applicationName: PostgresConnection.defaultApplicationName + " run outcomes")
            else { continue }
            try? write(on: connection)
            connection.close()
        }
    }
}
