import IRT
import Postgres
import UTCTime

/// The responses a calibration fits: the first answer of each learner to each item in the window (optionally one
/// topic), the most recent `maxObservations` of those when set, then only items with at least `minimumResponses`.
/// The window's answers are read by binary COPY (`WindowAnswers.read`) and chosen in memory (`WindowAnswers.select`).
struct CalibrationResponses {
    var learnerIDs: [String] = []
    var itemIDs: [String] = []
    var learners: [Int32] = []
    var items: [Int32] = []
    var correct: [Bool] = []

    static func load(
        _ connection: PostgresConnection, window: TimeWindow, topicID: String?, maxObservations: Int?,
        minimumResponses: Int, plan: WindowAnswers.ReadPlan = WindowAnswers.ReadPlan()
    ) throws -> CalibrationResponses {
        var answers = try WindowAnswers.read(connection, window: window, topicID: topicID, plan: plan)
        return answers.select(maxObservations: maxObservations, minimumResponses: minimumResponses)
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
