import Postgres
import Synchronization

/// Reading a calibration's window from `attempts`: one binary COPY of its answers in scan order (no sort on the
/// server: sorting all of them by learner and item for first answers, then by time for the cap, spilled hundreds of
/// MB to disk there), split into streams read at once.
///
/// PostgreSQL runs one COPY on one core, and turning its rows into COPY's format costs it more than the scan: a
/// 5.7-million-row window took it 2.3–3 s of CPU, our decoding 1 s beside it. So a large table is read in `streams`
/// parts, each a range of its pages (a TID range scan) on a connection of its own, all in the run's snapshot
/// (`pg_export_snapshot()` on the run's connection, imported by each reader), decoded on a thread each and merged.
/// The parts together are exactly the rows one COPY in that snapshot returns, and `select` does not depend on the
/// order it gets them in, so the responses are the same as from one stream.
///
/// A cancel sent to the run's connection finds it idle while the readers work, so the readers stop themselves: the
/// first to see `shouldStop`, or to fail, cancels every reader's COPY (`PostgresCancel`) rather than let the others
/// scan their pages to the end, and the first failure is the one thrown.
extension WindowAnswers {
    /// How a window is read.
    struct ReadPlan {
        /// How many streams read a table of at least `minimumPages` pages (smaller ones are read in one).
        var streams = 2
        var minimumPages: Int64 = 1024
        /// The `application_name` of the readers' connections, followed by " read k of n".
        var applicationName = PostgresConnection.defaultApplicationName + " calibration"
        /// Checked every `checkEvery` rows by each reader: true stops the read (every stream's COPY) with
        /// `RunCancelledError` or the server's cancellation (SQLSTATE 57014).
        var shouldStop: @Sendable () -> Bool = { false }
        var checkEvery = 1 << 16
    }

    /// The window's answers (optionally of one topic), read as `plan` says.
    static func read(
        _ connection: PostgresConnection, window: TimeWindow, topicID: String?, plan: ReadPlan = ReadPlan()
    ) throws -> WindowAnswers {
        var pages: Int64 = 0
        if plan.streams > 1 {
            let size = try connection.query(
                "SELECT pg_relation_size('attempts') / current_setting('block_size')::int8")
            pages = try size.first?.decode(0, as: Int64.self) ?? 0
        }
        guard plan.streams > 1, pages >= max(plan.minimumPages, Int64(plan.streams)) else {
            var answers = WindowAnswers()
            try answers.copy(
                connection, query(window: window, topicID: topicID, pages: nil), plan.shouldStop, plan.checkEvery)
            return answers
        }
        let snapshot = try connection.exportSnapshot()
        var readers: [PostgresConnection] = []
        defer { for reader in readers { reader.close() } }
        for index in 0..<plan.streams {
            readers.append(
                try connection.sibling(
                    applicationName: "\(plan.applicationName) read \(index + 1) of \(plan.streams)"))
        }
        let streams = plan.streams
        let shouldStop = plan.shouldStop
        let checkEvery = plan.checkEvery
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
        let readerShouldStop: @Sendable () -> Bool = {
            guard shouldStop() else { return false }
            stopAll(RunCancelledError())
            return true
        }
        var parts: [WindowAnswers]
        do {
            parts = try ParallelWork.map(count: streams, threads: streams) { [readers, pages] index in
                let reader = readers[index]
                do {
                    try reader.beginReadOnly(snapshot: snapshot)
                    // Pages [first, last): the last stream takes every page from its first on, however the table grew.
                    let first = pages * Int64(index) / Int64(streams)
                    let last = index == streams - 1 ? nil : pages * Int64(index + 1) / Int64(streams)
                    var part = WindowAnswers()
                    try part.copy(
                        reader, query(window: window, topicID: topicID, pages: (first, last)), readerShouldStop,
                        checkEvery)
                    try reader.commit()
                    return part
                } catch {
                    stopAll(error)
                    throw error
                }
            }
        } catch {
            throw firstFailure.withLock { $0 } ?? error
        }
        // Moved out of `parts`, so that each array is held once and freed as soon as it is merged.
        var remaining = parts
        parts = []
        var answers = remaining.removeFirst()
        while !remaining.isEmpty { answers.append(contentsOf: remaining.removeFirst()) }
        return answers
    }

    /// The COPY of the window's answers, on the pages `[pages.first, pages.last)` when given (no end: to the last).
    /// COPY takes no parameters: `copyOut` writes them into the statement as escaped literals.
    static func query(window: TimeWindow, topicID: String?, pages: (first: Int64, last: Int64?)?) -> PostgresQuery {
        var range: PostgresQuery = ""
        if let pages {
            // Page numbers this function was given as integers, written as TID literals.
            range = " AND a.ctid >= '(\(unsafeSQL: String(pages.first)),0)'::tid"
            if let last = pages.last { range = "\(range) AND a.ctid < '(\(unsafeSQL: String(last)),0)'::tid" }
        }
        return """
            COPY (
                SELECT a.user_id, a.item_id, a.correct, a.answered_at
                FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
                WHERE a.answered_at >= \(window.start) AND a.answered_at < \(window.end)
                  AND (\(topicID)::text IS NULL OR COALESCE(a.topic_id, i.topic_id) = \(topicID))\(range)
            ) TO STDOUT (FORMAT binary)
            """
    }

    /// Appends the rows of `query` (learner, item, correctness, time).
    private mutating func copy(
        _ connection: PostgresConnection, _ query: PostgresQuery, _ shouldStop: @Sendable () -> Bool, _ checkEvery: Int
    ) throws {
        var untilCheck = checkEvery
        try connection.copyOut(query) { row in
            guard let userBytes = try row.bytes(0), let itemBytes = try row.bytes(1),
                let correctBytes = try row.bytes(2), correctBytes.count == 1, let answeredAt = try row.integer(3)
            else {
                throw PostgresError(.decoding, message: "an answer without learner, item, correctness or time")
            }
            append(learner: userBytes, item: itemBytes, correct: correctBytes[0] != 0, answeredAt: answeredAt)
            untilCheck -= 1
            if untilCheck == 0 {
                untilCheck = checkEvery
                if shouldStop() { throw RunCancelledError() }
            }
        }
    }
}
