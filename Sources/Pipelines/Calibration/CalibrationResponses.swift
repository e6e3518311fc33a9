import IRT
import Postgres
import UTCTime

/// The responses a calibration fits: the first answer of each learner to each item in the window (optionally one
/// topic), the most recent `maxObservations` of those when set, then only items with at least `minimumResponses`.
/// Loaded in one binary COPY of a query; ids are interned to the dense indices the engine works with.
struct CalibrationResponses {
    var learnerIDs: [String] = []
    var itemIDs: [String] = []
    var learners: [Int32] = []
    var items: [Int32] = []
    var correct: [Bool] = []

    static func load(
        _ connection: PostgresConnection, window: TimeWindow, topicID: String?, maxObservations: Int?,
        minimumResponses: Int
    ) throws -> CalibrationResponses {
        try connection.execute("SET LOCAL work_mem = '256MB'")
        // JIT compiling this query's sort and window expressions cost more than it saved: 25–30 s against 17–18 s
        // for the 50,000 × 1,000 bench query under load (EXPLAIN ANALYZE). The plan and its output are the same.
        try connection.execute("SET LOCAL jit = off")
        var responses = CalibrationResponses()
        var learnerIndex: [String: Int32] = [:]
        var itemIndex: [String: Int32] = [:]
        // One binary COPY rather than a cursor fetched in batches of text rows: no text output of 2,000,000 rows on
        // the server, no per-batch round trips, ids decoded once from bytes. COPY takes no parameters: `copyOut`
        // writes them into the statement as escaped literals. The query, hence its rows and their order, is the same.
        try connection.copyOut(
            """
            COPY (
                WITH first_answers AS (
                    SELECT DISTINCT ON (a.user_id, a.item_id) a.user_id, a.item_id, a.correct, a.answered_at
                    FROM attempts a LEFT JOIN items i ON i.item_id = a.item_id
                    WHERE a.answered_at >= \(window.start) AND a.answered_at < \(window.end)
                      AND (\(topicID)::text IS NULL OR COALESCE(a.topic_id, i.topic_id) = \(topicID))
                    ORDER BY a.user_id, a.item_id, a.answered_at
                ), capped AS (
                    SELECT * FROM first_answers ORDER BY answered_at DESC LIMIT \(maxObservations)
                ), counted AS (
                    SELECT user_id, item_id, correct, count(*) OVER (PARTITION BY item_id) AS responses FROM capped
                )
                SELECT user_id, item_id, correct FROM counted WHERE responses >= \(minimumResponses)
            ) TO STDOUT (FORMAT binary)
            """
        ) { row in
            guard let userBytes = try row.bytes(0), let itemBytes = try row.bytes(1),
                let correctBytes = try row.bytes(2), correctBytes.count == 1
            else {
                throw PostgresError(.decoding, message: "a first answer without learner, item or correctness")
            }
            let user = String(decoding: userBytes, as: UTF8.self)
            let item = String(decoding: itemBytes, as: UTF8.self)
            let learner =
                learnerIndex[user]
                ?? {
                    let next = Int32(responses.learnerIDs.count)
                    learnerIndex[user] = next
                    responses.learnerIDs.append(user)
                    return next
                }()
            let itemNumber =
                itemIndex[item]
                ?? {
                    let next = Int32(responses.itemIDs.count)
                    itemIndex[item] = next
                    responses.itemIDs.append(item)
                    return next
                }()
            responses.learners.append(learner)
            responses.items.append(itemNumber)
            responses.correct.append(correctBytes[0] != 0)
        }
        return responses
    }

    /// Items in which every response is the same (all correct or all wrong): they carry no information about their
    /// discrimination and are left out, and counted.
    func degenerateItems() -> Set<Int32> {
        var counts = [(responses: Int, correct: Int)](repeating: (0, 0), count: itemIDs.count)
        for index in items.indices {
            counts[Int(items[index])].responses += 1
            if correct[index] { counts[Int(items[index])].correct += 1 }
        }
        return Set(
            counts.indices.filter { counts[$0].correct == 0 || counts[$0].correct == counts[$0].responses }.map {
                Int32($0)
            })
    }

    /// The responses without `excluded` items, re-indexed densely (learners left without responses drop out).
    func removing(items excluded: Set<Int32>) -> CalibrationResponses {
        guard !excluded.isEmpty else { return self }
        var result = CalibrationResponses()
        var learnerMap = [Int32](repeating: -1, count: learnerIDs.count)
        var itemMap = [Int32](repeating: -1, count: itemIDs.count)
        for (index, id) in itemIDs.enumerated() where !excluded.contains(Int32(index)) {
            itemMap[index] = Int32(result.itemIDs.count)
            result.itemIDs.append(id)
        }
        for index in items.indices where itemMap[Int(items[index])] >= 0 {
            let learner = Int(learners[index])
            if learnerMap[learner] < 0 {
                learnerMap[learner] = Int32(result.learnerIDs.count)
                result.learnerIDs.append(learnerIDs[learner])
            }
            result.learners.append(learnerMap[learner])
            result.items.append(itemMap[Int(items[index])])
            result.correct.append(correct[index])
        }
        return result
    }

    func matrix() throws(IRTError) -> ResponseMatrix {
        try ResponseMatrix(
            learnerCount: learnerIDs.count, itemCount: itemIDs.count, learners: learners, items: items,
            correct: correct)
    }
}
