import Fields
import JSON
import Pipelines
import Testing
import UTCTime

/// What a backfill request accepts, and the schedule it replays.
@Suite struct BackfillRequestTests {
    static let today = Day(iso: "2026-12-04")!

    func parse(_ body: JSONObject) throws(FieldError) -> BackfillRequest {
        try BackfillRequest.parse(body: body, today: Self.today)
    }

    @Test func defaultsAreYesterdayEveryStageAndWeeklyCalibration() throws {
        let request = try parse(["from": "2026-11-01"])
        #expect(request.to == Day(iso: "2026-12-03"))
        #expect(request.stages == BackfillRequest.defaultStages)
        #expect(request.calibrateEveryDays == 7 && !request.dryRun)
        #expect(request.dayCount == 33)
        #expect(request.parameters["to"] == .string("2026-12-03"))
    }

    @Test(
        arguments: [
            (["to": "2026-11-02"], "from"),
            (["from": "2026-11-05", "to": "2026-11-04"], "from"),
            (["from": "2026-11-05", "to": "2099-01-01"], "to"),
            (["from": "1999-12-31"], "from"),
            (["from": "2024-01-01", "to": "2025-02-04"], "to"),
            (["from": "2026-11-01", "stages": ["compute-daily-kpis", "detect-inactivity"]], "stages"),
            (["from": "2026-11-01", "stages": ["compute-kpis"]], "stages"),
            (["from": "2026-11-01", "stages": []], "stages"),
            (["from": "2026-11-01", "calibrate_every_days": 0], "calibrate_every_days"),
            (["from": "2026-11-01", "wait": true], "wait"),
            (["from": "2026-11-01", "to": .null], "to"),
        ] as [(JSONObject, String)])
    func badRequestsNameTheField(body: JSONObject, field: String) {
        #expect(throws: FieldError.self) { try parse(body) }
        do {
            _ = try parse(body)
        } catch {
            #expect(error.field == field, "\(error.message)")
        }
    }

    @Test func fourHundredDaysAreAllowed() throws {
        #expect(try parse(["from": "2024-01-01", "to": "2025-02-03"]).dayCount == 400)
    }

    @Test func theScheduleReplaysTheNightlyOrder() throws {
        // 2026-11-16 is a Monday; 10 days, calibrating every 4th day and on the last.
        let request = try parse(["from": "2026-11-16", "to": "2026-11-25", "calibrate_every_days": 4])
        let schedule = BackfillSchedule(request)
        let all = (0..<request.dayCount).flatMap { schedule.steps(dayAt: $0) }
        let calibrations = all.filter { $0.stage == .calibrateIRT }.map(\.day.iso)
        #expect(calibrations == ["2026-11-19", "2026-11-23", "2026-11-25"])
        let reports = all.filter { $0.stage == .generateWeeklyReport }
        #expect(reports.map(\.day.iso) == ["2026-11-22"])
        #expect(reports.first?.body["week_start"] == .string("2026-11-16"))
        // The CronJobs' order on the morning after the day: KPIs 02:10, features 02:25, calibration 03:00, report 04:00.
        #expect(
            schedule.steps(dayAt: 6).map(\.stage) == [
                .computeDailyKPIs, .aggregateFeaturesDaily, .generateWeeklyReport,
            ])
        #expect(schedule.steps(dayAt: 7).map(\.stage) == [.computeDailyKPIs, .aggregateFeaturesDaily, .calibrateIRT])
        #expect(schedule.steps(dayAt: 0).map(\.stage) == [.computeDailyKPIs, .aggregateFeaturesDaily])
        #expect(schedule.steps(dayAt: 0).allSatisfy { $0.body["date"] == .string("2026-11-16") })
        let dry = try parse([
            "from": "2026-11-16", "to": "2026-11-16", "dry_run": true, "stages": ["compute-daily-kpis"],
        ])
        #expect(BackfillSchedule(dry).steps(dayAt: 0).map(\.body) == [["date": "2026-11-16", "dry_run": true]])
    }
}
