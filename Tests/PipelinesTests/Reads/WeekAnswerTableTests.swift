import Postgres
import Reports
import TestSupport
import Testing
import UTCTime

@testable import Pipelines

/// `WeekAnswerTable` against PostgreSQL: one query for the run's week, looked up per learner by bytes.
@Suite struct WeekAnswerTableTests {
    let week = TimeWindow(endingOn: Day(iso: "2026-11-29")!, days: 7)

    func table(_ harness: Harness, learners: [String]?) throws -> WeekAnswerTable {
        try harness.database.pool.withConnection { connection in
            try connection.begin()
            defer { try? connection.rollback() }
            return try WeekAnswerTable.load(connection, week: week, learners: learners)
        }
    }

    @Test func eachLearnersWeekByTopicAndDay() throws {
        let harness = try Harness()
        try harness.execute("INSERT INTO items (item_id, topic_id) VALUES ('q-alg', 'alg'), ('q-none', NULL)")
        // "é" composed and decomposed: two learners to PostgreSQL, one String to Swift.
        try Attempts.insert(
            [
                Attempts.make("b", "q1", "2026-11-23T08:00:00Z", correct: true, topic: "geo"),
                Attempts.make("b", "q-alg", "2026-11-23T09:00:00Z", correct: false),
                Attempts.make("b", "q-alg", "2026-11-24T09:00:00Z", correct: true),
                Attempts.make("b", "q-none", "2026-11-29T23:59:59Z", correct: true),
                Attempts.make("b", "q1", "2026-11-30T00:00:00Z", correct: true, topic: "next-week"),
                Attempts.make("b", "q1", "2026-11-22T23:59:59Z", correct: true, topic: "last-week"),
                Attempts.make("\u{e9}", "q1", "2026-11-25T08:00:00Z", correct: true, topic: "geo"),
                Attempts.make("e\u{301}", "q1", "2026-11-25T08:00:00Z", correct: false, topic: "geo"),
                Attempts.make("e\u{301}", "q2", "2026-11-26T08:00:00Z", correct: false, topic: "geo"),
            ], into: harness.database)
        let monday = Day(iso: "2026-11-23")!
        for learners in [nil, ["b", "\u{e9}", "e\u{301}", "nobody"]] {
            let answers = try table(harness, learners: learners)
            let b = answers.answers(of: "b")
            #expect(
                b.topics.map(\.topicID) == ["alg", "geo", nil], "the item's topic stands in; none last among equals")
            #expect(b.topics.map(\.attempts) == [2, 1, 1] && b.topics.map(\.correct) == [1, 1, 1])
            #expect(
                b.days == [
                    DailyActivity(day: monday, attempts: 2, correct: 1),
                    DailyActivity(day: monday.advanced(by: 1), attempts: 1, correct: 1),
                    DailyActivity(day: monday.advanced(by: 6), attempts: 1, correct: 1),
                ])
            #expect(answers.answers(of: "\u{e9}").topics == [TopicAccuracy(topicID: "geo", attempts: 1, correct: 1)])
            #expect(answers.answers(of: "e\u{301}").topics == [TopicAccuracy(topicID: "geo", attempts: 2, correct: 0)])
            #expect(answers.answers(of: "nobody").topics.isEmpty && answers.answers(of: "nobody").days.isEmpty)
            #expect(answers.answers(of: "a").days.isEmpty && answers.answers(of: "z").days.isEmpty)
        }
        let some = try table(harness, learners: ["e\u{301}"])
        #expect(some.answers(of: "b").days.isEmpty, "only the learners asked for")
        #expect(some.answers(of: "e\u{301}").days.count == 2)
    }
}
