import Reports
import Testing
import UTCTime

@testable import Pipelines

/// `WeekAnswers` sums the (topic, day) groups of one learner both ways, in the order the report's per-topic and
/// per-day queries used to return them.
struct WeekAnswersTests {
    let monday = Day(iso: "2026-11-23")!

    @Test func sumsPerTopicAndPerDayInTheQueriesOrder() throws {
        var answers = WeekAnswers()
        let tuesday = monday.advanced(by: 1)
        // "é" composed and decomposed are one String to Swift but two topics to PostgreSQL.
        let groups: [(String?, Day, Int, Int)] = [
            ("b", tuesday, 2, 1), (nil, monday, 3, 3), ("a", monday, 1, 0), ("a", tuesday, 1, 1),
            ("\u{e9}", monday, 1, 1),
            ("e\u{301}", tuesday, 1, 0), ("Z", monday, 1, 0),
        ]
        for (topic, day, attempts, correct) in groups {
            answers.add(topic: topic, day: day, attempts: attempts, correct: correct)
        }
        let (topics, days) = answers.take()
        // Most answered first; ties in byte order ("Z" < "a" < "b" < "e\u{301}" < "\u{e9}"); no topic last among equals.
        #expect(topics.map(\.topicID) == [nil, "a", "b", "Z", "e\u{301}", "\u{e9}"])
        #expect(topics.map(\.attempts) == [3, 2, 2, 1, 1, 1])
        #expect(topics.map(\.correct) == [3, 1, 1, 0, 0, 1])
        #expect(
            days == [
                DailyActivity(day: monday, attempts: 6, correct: 4),
                DailyActivity(day: tuesday, attempts: 4, correct: 2),
            ])
        let (nextTopics, nextDays) = answers.take()
        #expect(nextTopics.isEmpty && nextDays.isEmpty, "taking the sums starts the next learner empty")
    }

    @Test func aTopicNamedLikeNoTopicIsStillATopic() {
        #expect(!WeekAnswers.sameTopic(nil, ""))
        #expect(WeekAnswers.sameTopic(nil, nil))
        #expect(
            !WeekAnswers.precedes(
                TopicAccuracy(topicID: nil, attempts: 1, correct: 0),
                TopicAccuracy(topicID: "x", attempts: 1, correct: 0)))
        #expect(
            WeekAnswers.precedes(
                TopicAccuracy(topicID: nil, attempts: 2, correct: 0),
                TopicAccuracy(topicID: "x", attempts: 1, correct: 0)))
    }
}
