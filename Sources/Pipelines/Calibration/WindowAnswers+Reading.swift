import Postgres

/// Reading a calibration's window from `attempts`: one binary COPY of its answers in scan order (no sort on the
/// server: sorting all of them by learner and item for first answers, then by time for the cap, spilled hundreds of
/// MB to disk there), split into streams read at once.
///
/// A 5.7-million-row window took PostgreSQL 2.3–3 s of CPU to send, our decoding 1 s beside it. So a large table is
/// read in `streams` parts, each a range of its pages (a TID range scan), by `SnapshotReaders`: each on a connection
/// of its own in the run's snapshot, decoded on a thread each, then merged. The parts together are exactly the rows
/// one COPY in that snapshot returns, and `select` does not depend on the order it gets them in, so the responses
/// are the same as from one stream.
extension WindowAnswers {
    /// How a window is read.
    struct ReadPlan {
        /// How many streams read a table of at least `minimumPages` pages (smaller ones are read in one).
        var streams = 2
        var minimumPages: Int64 = 1024
        /// The readers' connection names, stop check and check interval (one stream: the run's connection's).
        var readers = SnapshotReaders(applicationName: PostgresConnection.defaultApplicationName + " calibration")
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
            try answers.copy(plan.readers.reader(on: connection), query(window: window, topicID: topicID, pages: nil))
            return answers
        }
        let streams = plan.streams
        var parts = try plan.readers.read(connection, parts: streams) { [pages] index, reader in
            // Pages [first, last): the last stream takes every page from its first on, however the table grew.
            let first = pages * Int64(index) / Int64(streams)
            let last = index == streams - 1 ? nil : pages * Int64(index + 1) / Int64(streams)
            var part = WindowAnswers()
            try part.copy(reader, query(window: window, topicID: topicID, pages: (first, last)))
            return part
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

    /// Appends the rows of `query` (learner, item, correctness, time), read on `reader`.
    private mutating func copy(_ reader: SnapshotReaders.Reader, _ query: PostgresQuery) throws {
        var untilCheck = reader.checkEvery
        try reader.connection.copyOut(query) { row in
            guard let userBytes = try row.bytes(0), let itemBytes = try row.bytes(1),
                let correctBytes = try row.bytes(2), correctBytes.count == 1, let answeredAt = try row.integer(3)
            else {
                throw PostgresError(.decoding, message: "an answer without learner, item, correctness or time")
            }
            append(learner: userBytes, item: itemBytes, correct: correctBytes[0] != 0, answeredAt: answeredAt)
            try reader.checkRow(&untilCheck)
        }
    }
}
