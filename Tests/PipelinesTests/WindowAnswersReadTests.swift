import Foundation
import IRT
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

@testable import Pipelines

/// Reading a calibration's window in several streams (page ranges on connections of their own, in the run's
/// snapshot) gives exactly the responses of one stream.
@Suite(.ownThreads) struct WindowAnswersReadTests {
    /// Random answers in and around the window, some learners answering an item more than once.
    static func attempts(seed: UInt64) -> [AttemptRecord] {
        var random = SeededGenerator(seed: seed)
        return (0..<3000).map { index in
            let day = 10 + Int.random(in: 0..<20, using: &random)
            let second = Int.random(in: 0..<86_400, using: &random)
            let at = String(
                format: "2026-11-%02dT%02d:%02d:%02d.%03dZ", day, second / 3600, second / 60 % 60, second % 60,
                index % 1000)
            return Attempts.make(
                "u\(Int.random(in: 0..<120, using: &random))", "q\(Int.random(in: 0..<40, using: &random))", at,
                correct: Bool.random(using: &random))
        }
    }

    func rows(_ responses: CalibrationResponses) -> [String] {
        responses.items.indices.map {
            "\(responses.learnerIDs[Int(responses.learners[$0])]) \(responses.itemIDs[Int(responses.items[$0])]) "
                + "\(responses.correct[$0])"
        }
    }

    @Test(arguments: [(2, 500 as Int?), (3, nil)])
    func streamsReadWhatOneStreamReads(streams: Int, cap: Int?) throws {
        let harness = try Harness()
        try Attempts.insert(Self.attempts(seed: UInt64(streams)), into: harness.database)
        let window = TimeWindow(endingOn: Day(iso: "2026-11-30")!, days: 14)
        try harness.database.pool.withConnection { connection in
            try connection.begin()
            defer { try? connection.rollback() }
            let one = try CalibrationResponses.load(
                connection, window: window, topicID: nil, maxObservations: cap, minimumResponses: 5,
                plan: WindowAnswers.ReadPlan(streams: 1))
            let several = try CalibrationResponses.load(
                connection, window: window, topicID: nil, maxObservations: cap, minimumResponses: 5,
                plan: WindowAnswers.ReadPlan(streams: streams, minimumPages: 2))
            #expect(several.items.count > 100)
            #expect(rows(several) == rows(one))
            #expect(several.learnerIDs == one.learnerIDs && several.itemIDs == one.itemIDs)
        }
    }

    /// The streams together hold every row of the window once (`select` would hide a row read twice), and all read
    /// the run's snapshot: an answer committed after the run's transaction began is in none of them.
    @Test func streamsReadEachRowOnceInTheRunsSnapshot() throws {
        let harness = try Harness()
        try Attempts.insert(Self.attempts(seed: 5), into: harness.database)
        let window = TimeWindow(endingOn: Day(iso: "2026-11-30")!, days: 14)
        let seen = try harness.database.pool.withConnection { connection in
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            defer { try? connection.rollback() }
            let before = try WindowAnswers.read(
                connection, window: window, topicID: nil, plan: WindowAnswers.ReadPlan(streams: 1))
            try Attempts.insert(
                [Attempts.make("late", "q0", "2026-11-20T12:00:00.000Z", correct: true)], into: harness.database)
            let several = try WindowAnswers.read(
                connection, window: window, topicID: nil, plan: WindowAnswers.ReadPlan(streams: 3, minimumPages: 2))
            #expect(before.learners.count > 1000)
            #expect(several.learners.count == before.learners.count)
            return before.learners.count
        }
        let now = try harness.database.pool.withConnection { connection in
            // A snapshot is exported from an open transaction, as a run's is.
            try connection.begin()
            defer { try? connection.rollback() }
            return try WindowAnswers.read(
                connection, window: window, topicID: nil, plan: WindowAnswers.ReadPlan(streams: 3, minimumPages: 2))
        }
        #expect(now.learners.count == seen + 1, "the late answer is read once its reader's snapshot has it")
    }

    /// A stop request seen by a reader ends the whole read with `RunCancelledError`, and every reader's connection is
    /// closed.
    @Test func aStopEndsEveryStream() throws {
        let harness = try Harness()
        try Attempts.insert(Self.attempts(seed: 6), into: harness.database)
        let window = TimeWindow(endingOn: Day(iso: "2026-11-30")!, days: 14)
        try harness.database.pool.withConnection { connection in
            try connection.begin()
            defer { try? connection.rollback() }
            let plan = WindowAnswers.ReadPlan(
                streams: 2, minimumPages: 2,
                readers: SnapshotReaders(applicationName: "stopped calibration", shouldStop: { true }, checkEvery: 1))
            #expect(throws: RunCancelledError.self) {
                try WindowAnswers.read(connection, window: window, topicID: nil, plan: plan)
            }
            // A closed connection's backend leaves pg_stat_activity a moment after the client has gone (it exits on
            // reading the Terminate message), so a leak is one still there after seconds, not one seen at once. Within
            // a transaction the activity view is read once unless its snapshot is cleared.
            var readers: Int64 = -1
            for _ in 0..<100 {
                try connection.execute("SELECT pg_stat_clear_snapshot()")
                readers = try connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'stopped calibration%'"
                )[0].decode(0)
                if readers == 0 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(readers == 0)
        }
    }
}
