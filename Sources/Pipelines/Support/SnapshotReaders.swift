import Postgres
import Synchronization

/// Reading the run's snapshot in several parts at once. PostgreSQL runs one COPY on one core, and turning rows into
/// COPY's format costs it more than the scan, so a stage whose read is bound by that splits it: each part is read on
/// a connection of its own (a sibling of the run's) inside the run's snapshot (`pg_export_snapshot()` on the run's
/// connection, imported by each reader), on a thread of its own, and the parts are returned in order, so that what
/// the stage makes of them does not depend on timing.
///
/// A cancel sent to the run's connection finds it idle while the readers work, so the readers stop themselves: the
/// first to see `shouldStop`, or to fail, cancels every reader's query (`PostgresCancel`) rather than let the others
/// read to the end, and the first failure is the one thrown.
struct SnapshotReaders {
    /// The `application_name` of the readers' connections, followed by " read k of n".
    var applicationName = PostgresConnection.defaultApplicationName
    /// Checked every `checkEvery` rows by each reader (`Reader.checkRow`): true stops every reader with
    /// `RunCancelledError` or the server's cancellation (SQLSTATE 57014).
    var shouldStop: @Sendable () -> Bool = { false }
    var checkEvery = 1 << 16

    /// A reader on `connection` itself, with these readers' stop check: for a read too small to split.
    func reader(on connection: PostgresConnection) -> Reader {
        Reader(connection: connection, shouldStop: shouldStop, checkEvery: checkEvery)
    }

    /// What a part's reading is given: its connection, inside the run's snapshot, and the stop check.
    struct Reader {
        let connection: PostgresConnection
        let shouldStop: @Sendable () -> Bool
        let checkEvery: Int

        /// Counts a row; every `checkEvery` rows, throws `RunCancelledError` when the run is asked to stop.
        func checkRow(_ untilCheck: inout Int) throws {
            untilCheck -= 1
            guard untilCheck <= 0 else { return }
            untilCheck = checkEvery
            if shouldStop() { throw RunCancelledError() }
        }
    }

    /// Reads `parts` parts of the snapshot of `connection`'s open transaction at once, `read(k, reader)` giving
    /// part `k`; returns them in order of `k`.
    func read<Part: Sendable>(
        _ connection: PostgresConnection, parts: Int,
        _ read: @escaping @Sendable (_ index: Int, _ reader: Reader) throws -> Part
    ) throws -> [Part] {
        let snapshot = try connection.exportSnapshot()
        var readers: [PostgresConnection] = []
        defer { for reader in readers { reader.close() } }
        for index in 0..<parts {
            readers.append(try connection.sibling(applicationName: "\(applicationName) read \(index + 1) of \(parts)"))
        }
        let cancels = readers.compactMap { $0.cancelHandle() }
        // The first failure of any reader (a stop request included), before the readers it cancels fail with 57014.
        let firstFailure = Mutex<(any Error)?>(nil)
        let stopAll: @Sendable (any Error) -> Void = { error in
            let first = firstFailure.withLock { failure in
                defer { failure = failure ?? error }
                return failure == nil
            }
            if first { for cancel in cancels { cancel.cancel() } }
        }
        let shouldStop = shouldStop
        let readerShouldStop: @Sendable () -> Bool = {
            guard shouldStop() else { return false }
            stopAll(RunCancelledError())
            return true
        }
        let checkEvery = checkEvery
        do {
            return try ParallelWork.map(count: parts, threads: parts) { [readers] index in
                let connection = readers[index]
                do {
                    try connection.beginReadOnly(snapshot: snapshot)
                    let part = try read(
                        index, Reader(connection: connection, shouldStop: readerShouldStop, checkEvery: checkEvery))
                    try connection.commit()
                    return part
                } catch {
                    stopAll(error)
                    throw error
                }
            }
        } catch {
            throw firstFailure.withLock { $0 } ?? error
        }
    }
}
