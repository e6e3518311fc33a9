import JSON
import Pipelines
import Postgres
import Storage
import TestSupport
import Testing
import UTCTime

/// The bench's floor under each stage (`StageFloor`) reads exactly the attempts of the stage's windows: on attempts
/// just inside and just outside every edge, each read streams as many rows as a count over the window written out
/// here from SPEC's definitions, so a floor can never silently read less (or more) than its stage.
@Suite(.ownThreads) struct StageFloorTests {
    /// One attempt a millisecond either side of each instant (the earlier one belongs to the window before).
    static func edges(_ instants: [String]) -> [AttemptRecord] {
        instants.enumerated().flatMap { index, day in
            [
                Attempts.make("edge\(index)", "at", "\(day)T00:00:00.000Z", correct: true, timeMs: 900, hints: 1),
                Attempts.make("edge\(index)", "before", "\(previousDay(day))T23:59:59.999Z", correct: false),
            ]
        }
    }

    static func previousDay(_ iso: String) -> String {
        guard let day = Day(iso: iso) else { fatalError("bad test day \(iso)") }
        return day.advanced(by: -1).iso
    }

    /// The rows of each read of the floor, and the count over `[from, to)` (days, `from` nil: no lower edge) each
    /// should equal.
    func check(_ stage: Stage, _ body: JSONObject, today: String, windows: [(from: String?, to: String)]) throws {
        let harness = try Harness()
        let instants = Set(windows.flatMap { [$0.from, $0.to].compactMap { $0 } }).sorted()
        try Attempts.insert(Attempts.goldenExample() + Self.edges(instants), into: harness.database)
        let floor = try #require(StageFloor(try harness.request(stage, body, today: today)))
        #expect(floor.reads.count == windows.count)
        try harness.database.pool.withConnection { connection in
            for (read, window) in zip(floor.reads, windows) {
                let lower: PostgresQuery = window.from.map { "answered_at >= \($0)::date AND " } ?? ""
                let expected: Int = try connection.query(
                    "SELECT count(*) FROM attempts WHERE \(lower)answered_at < \(window.to)::date")[0].decode(0)
                let total: Int = try connection.query("SELECT count(*) FROM attempts")[0].decode(0)
                let measured = try StageFloor.measure(read, on: connection)
                #expect(measured.rows == expected, "\(stage.rawValue): \(read.purpose)")
                #expect(expected > 0 && expected < total, "the window cuts the attempts: \(read.purpose)")
            }
        }
    }

    @Test func kpisReadTheirFiftySixDays() throws {
        // as_of 2026-11-29: the 28 days before the recent 28 (= the churn window) start on 2026-10-05.
        try check(
            .computeDailyKPIs, ["date": "2026-11-29"], today: "2026-12-01",
            windows: [(from: "2026-10-05", to: "2026-11-30")])
    }

    @Test func kpisWithALongLookbackReadItsLearnersBeforeTheFiftySixDays() throws {
        // The 90 days ending 2026-11-29 start on 09-01: the learners of 09-01 up to the 56 days (10-05).
        try check(
            .computeDailyKPIs, ["date": "2026-11-29", "lookback_days": 90], today: "2026-12-01",
            windows: [(from: "2026-10-05", to: "2026-11-30"), (from: "2026-09-01", to: "2026-10-05")])
    }

    @Test func featuresReadTheirDaysWithTheHistoryOfImprovement() throws {
        // The 7 days ending 2026-11-29 start on 11-23; I_t of 11-23 looks back to 27 days before it, 10-27: one read.
        try check(
            .aggregateFeaturesDaily, ["date": "2026-11-29"], today: "2026-12-01",
            windows: [(from: "2026-10-27", to: "2026-11-30")])
    }

    @Test func featuresReadTheRangeOnlyColumnsOnlyOverTheirDays() throws {
        // As the stage's COPY: topic, item, time and hints only for the recomputed days (from 11-23), NULL before.
        let harness = try Harness()
        try Attempts.insert(Attempts.goldenExample() + Self.edges(["2026-11-23"]), into: harness.database)
        let floor = try #require(
            StageFloor(try harness.request(.aggregateFeaturesDaily, ["date": "2026-11-29"], today: "2026-12-01")))
        let read = try #require(floor.reads.first)
        try harness.database.pool.withConnection { connection in
            let inRange: Int = try connection.query(
                "SELECT count(*) FROM attempts WHERE answered_at >= '2026-11-23' AND answered_at < '2026-11-30'"
            )[0].decode(0)
            var withItem = 0
            let rows = try connection.copyOut(read.query) { row in if try row.bytes(4) != nil { withItem += 1 } }
            #expect(withItem == inRange)
            #expect(rows > inRange)
        }
    }

    @Test func inactivityReadsEveryLastAnswerAndTheChurnSessions() throws {
        // Today 2026-11-26: every attempt before 11-27, and the 56 days ending today, from 10-02.
        try check(
            .detectInactivity, JSONObject(), today: "2026-11-26",
            windows: [(from: nil, to: "2026-11-27"), (from: "2026-10-02", to: "2026-11-27")])
    }

    @Test func reportsReadTheirWeek() throws {
        try check(
            .generateWeeklyReport, ["week_start": "2026-11-23"], today: "2026-12-01",
            windows: [(from: "2026-11-23", to: "2026-11-30")])
    }

    @Test func calibrationHasNoFloor() throws {
        let harness = try Harness()
        #expect(StageFloor(try harness.request(.calibrateIRT)) == nil)
    }
}
