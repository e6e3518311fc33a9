import Foundation
import IRT
import Storage
import UTCTime

/// One practice session: a run of answers on one topic, with response times that grow with difficulty and hints
/// that are likelier on hard items.
enum DemoSession {
    static func generate(
        learner: DemoLearner, day: Day, dayOffset: Int, number: Int, items: [DemoItem], byTopic: [Int: [Int]],
        options: DemoDataOptions, random: inout SeededGenerator, into batch: inout [AttemptRecord]
    ) {
        let topic =
            random.uniform() < 0.8 && !learner.favouriteTopics.isEmpty
            ? learner.favouriteTopics[random.index(below: learner.favouriteTopics.count)]
            : random.index(below: options.topicCount)
        guard let pool = byTopic[topic], !pool.isEmpty else { return }
        let mean = max(1, options.answersPerSession)
        let count = max(1, mean / 2 + random.index(below: mean + 1))
        let sessionID: String? =
            random.uniform() < 0.1 ? nil : "\(learner.id)-\(day.iso)-\(number + 1)"
        // Sessions start between 07:00 and 21:00, a second one at least two hours after the first.
        let startSecond = (7 + 2 * number) * 3600 + random.index(below: 12 * 3600)
        var clock = day.start.adding(microseconds: Int64(startSecond) * 1_000_000)
        let theta = learner.theta(onDay: dayOffset)
        for _ in 0..<count {
            let item = items[pool[random.index(below: pool.count)]]
            let probability = item.truth.probability(at: theta)
            let correct = random.uniform() < probability
            let difficultyGap = item.truth.b - theta
            let milliseconds = 25_000 * exp(0.35 * difficultyGap + 0.3 * random.normal())
            let responseTime = Int(max(1500, min(300_000, milliseconds)))
            var hints = 0
            if random.uniform() < 0.35 * (1 - probability) { hints = 1 + random.index(below: 3) }
            clock = clock.adding(microseconds: Int64(responseTime) * 1000 + Int64(random.index(below: 5000)) * 1000)
            guard clock < day.end else { break }
            batch.append(
                AttemptRecord(
                    userID: learner.id, itemID: item.record.itemID, correct: correct, answeredAt: clock,
                    topicID: item.record.topicID, sessionID: sessionID,
                    responseTimeMs: random.uniform() < 0.02 ? nil : responseTime,
                    hints: random.uniform() < 0.05 ? nil : hints))
        }
    }
}
