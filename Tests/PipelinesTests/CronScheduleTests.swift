import Pipelines
import Testing
import UTCTime

/// The five-field cron expressions of the CronJobs, as `/v1/status` reads them.
@Suite struct CronScheduleTests {
    static func time(_ text: String) throws -> Timestamp { try #require(Timestamp(rfc3339: text)) }

    @Test func dailyPreviousAndNext() throws {
        let daily = try CronSchedule("10 2 * * *")
        #expect(
            daily.previous(atOrBefore: try Self.time("2026-12-04T17:00:00Z")) == (try Self.time("2026-12-04T02:10:00Z"))
        )
        #expect(
            daily.previous(atOrBefore: try Self.time("2026-12-04T02:10:00Z")) == (try Self.time("2026-12-04T02:10:00Z"))
        )
        #expect(
            daily.previous(atOrBefore: try Self.time("2026-12-04T02:09:59Z")) == (try Self.time("2026-12-03T02:10:00Z"))
        )
        #expect(daily.next(after: try Self.time("2026-12-04T02:10:00Z")) == (try Self.time("2026-12-05T02:10:00Z")))
        #expect(daily.next(after: try Self.time("2026-12-04T01:00:00Z")) == (try Self.time("2026-12-04T02:10:00Z")))
    }

    @Test func weeklyOnMondays() throws {
        // 2026-12-04 is a Friday; the Monday before is 2026-11-30.
        let weekly = try CronSchedule("0 4 * * 1")
        #expect(
            weekly.previous(atOrBefore: try Self.time("2026-12-04T12:00:00Z"))
                == (try Self.time("2026-11-30T04:00:00Z")))
        #expect(weekly.next(after: try Self.time("2026-12-04T12:00:00Z")) == (try Self.time("2026-12-07T04:00:00Z")))
        #expect(
            try CronSchedule("0 4 * * 7").next(after: try Self.time("2026-12-04T12:00:00Z"))
                == (try Self.time("2026-12-06T04:00:00Z")))
    }

    @Test func stepsListsRangesAndBothDayFields() throws {
        let quarter = try CronSchedule("*/15 8-9 * * *")
        #expect(
            quarter.previous(atOrBefore: try Self.time("2026-12-04T09:59:00Z"))
                == (try Self.time("2026-12-04T09:45:00Z")))
        #expect(quarter.next(after: try Self.time("2026-12-04T09:45:00Z")) == (try Self.time("2026-12-05T08:00:00Z")))
        // Day of month 1 OR Monday (cron's rule when both are restricted).
        let either = try CronSchedule("0 0 1 * 1")
        #expect(either.next(after: try Self.time("2026-12-02T00:00:00Z")) == (try Self.time("2026-12-07T00:00:00Z")))
        #expect(either.next(after: try Self.time("2026-12-28T00:00:00Z")) == (try Self.time("2027-01-01T00:00:00Z")))
        let leap = try CronSchedule("0 12 29 2 *")
        #expect(leap.next(after: try Self.time("2026-12-04T00:00:00Z")) == (try Self.time("2028-02-29T12:00:00Z")))
    }

    @Test func badExpressionsNameTheField() {
        for (expression, field) in [
            ("61 2 * * *", "minute"), ("0 24 * * *", "hour"), ("0 0 0 * *", "day of month"), ("0 0 * 13 *", "month"),
            ("0 0 * * 8", "day of week"), ("0 0 * *", "5 fields"), ("x 0 * * *", "minute"), ("*/0 0 * * *", "minute"),
        ] {
            do {
                _ = try CronSchedule(expression)
                Issue.record("\(expression) must be refused")
            } catch {
                #expect(error.description.contains(field), "\(expression): \(error)")
            }
        }
    }

    @Test func schedulesDefaultToTheCronJobsAndTakeOverrides() throws {
        let defaults = try StageSchedules(overrides: nil)
        #expect(defaults[.computeDailyKPIs]?.expression == "10 2 * * *")
        #expect(defaults[.generateWeeklyReport]?.expression == "0 4 * * 1")
        let changed = try StageSchedules(overrides: "compute-daily-kpis=0 1 * * *; detect-inactivity = 30 6 * * *")
        #expect(changed[.computeDailyKPIs]?.expression == "0 1 * * *")
        #expect(changed[.detectInactivity]?.expression == "30 6 * * *")
        #expect(changed[.calibrateIRT]?.expression == "0 3 * * *")
        #expect(throws: CronError.self) { try StageSchedules(overrides: "nope=0 0 * * *") }
    }
}
