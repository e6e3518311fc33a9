import DemoData
import Gzip
import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// A backfill leaves exactly the history that nightly runs leave (SPEC §3, §9): 14 nightly runs, one by one through
/// the runner, against one 14-day backfill on a second database with the same data.
@Suite(.ownThreads) struct BackfillEquivalenceTests {
    static let from = Day(iso: "2026-11-16")!  // a Monday
    static let days = 14  // to 2026-11-29, a Sunday: two complete weeks

    /// The output tables, each row as JSON without the run ids and timestamps that differ by design (a report's
    /// content, which names the time it was generated, is compared apart: `reportPages`).
    static let outputTables = [
        "weekly_kpi", "features_topic_daily", "mirt_item_params", "mirt_item_params_history", "mirt_ability",
        "mirt_ability_history", "mirt_fit_meta", "report_artifacts",
    ]

    @Test func aBackfillLeavesTheHistoryOfNightlyRuns() throws {
        let nightly = try Harness.withSmallDemo()
        let backfilled = try Harness.withSmallDemo()
        // The nightly schedule as deploy/'s CronJobs run it on the morning after day d, written out here rather
        // than taken from BackfillSchedule: KPIs as of d (02:10), features for d (02:25), a calibration as of d
        // (03:00; here on every 7th and the last day, as the backfill's default `calibrate_every_days`), and on a
        // Monday the weekly report of the week that ended with d (04:00).
        var nightlyRuns = 0
        for index in 0..<Self.days {
            let day = Self.from.advanced(by: index)
            var runs: [(Stage, JSONObject)] = [
                (.computeDailyKPIs, ["date": .string(day.iso)]), (.aggregateFeaturesDaily, ["date": .string(day.iso)]),
            ]
            if (index + 1) % 7 == 0 || index == Self.days - 1 {
                runs.append((.calibrateIRT, ["date": .string(day.iso)]))
            }
            if day.isoWeekday == 7 { runs.append((.generateWeeklyReport, ["week_start": .string(day.weekStart.iso)])) }
            for (stage, body) in runs {
                let record = try nightly.run(stage, body, today: day.advanced(by: 1).iso)
                #expect(record.status == .succeeded, "\(stage.rawValue) for \(day.iso): \(record.error ?? "")")
                nightlyRuns += 1
            }
        }
        let request = try BackfillRequest.parse(
            body: ["from": .string(Self.from.iso), "to": .string(Self.from.advanced(by: Self.days - 1).iso)],
            today: Day.today())
        let handle = try backfilled.backfiller.start(request)
        #expect(handle.wait(seconds: 300))
        let record = handle.record
        #expect(record.status == .succeeded, "\(record.error ?? "")")
        #expect(record.daysDone == Self.days && record.daysTotal == Self.days)
        #expect(record.runIDs.count == nightlyRuns)
        let runs = try backfilled.database.pool.withConnection { connection in
            try RunStore.list(connection, stage: nil, status: nil, limit: 1000, before: nil)
        }
        #expect(runs.count == nightlyRuns)
        #expect(runs.allSatisfy { $0.backfillID == record.backfillID && $0.status == .succeeded })
        for table in Self.outputTables {
            let expected = try nightly.comparable(table)
            #expect(!expected.isEmpty, "\(table) has rows")
            #expect(try backfilled.comparable(table) == expected, "\(table) is identical")
        }
        let pages = try nightly.reportPages()
        #expect(pages.count > 100)
        #expect(try backfilled.reportPages() == pages, "the reports read the same")
        // Two reports per learner-week would be one week too many; each Sunday gave one week.
        let weeks = try backfilled.database.pool.withConnection { connection in
            try connection.query("SELECT DISTINCT week_start::text FROM report_artifacts ORDER BY 1").rows.map {
                try $0.decode(0, as: String.self)
            }
        }
        #expect(weeks == ["2026-11-16", "2026-11-23"])
    }
}

extension Harness {
    /// A harness over a small simulated data set (120 learners, 30 items, 28 days to 2026-11-29): enough answers for
    /// every stage, calibration included, to run with its defaults.
    static func withSmallDemo() throws -> Harness {
        let harness = try Harness()
        var options = DemoDataOptions()
        options.learners = 120
        options.items = 30
        options.days = 28
        options.lastDay = Day(iso: "2026-11-29")!
        _ = try DemoData.load(options, into: harness.database.pool, logger: TestServer.quietLogger)
        return harness
    }

    /// A backfiller on this harness's runner.
    var backfiller: Backfiller { Backfiller(runner: runner, logger: TestServer.quietLogger) }

    /// A table's rows as JSON text without run ids and timestamps of the run (and a calibration's wall-clock
    /// seconds), sorted.
    func comparable(_ table: String) throws -> [String] {
        try database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT (to_jsonb(t) - 'run_id' - 'fitted_at' - 'computed_at' - 'created_at' - 'updated_at'
                        - 'generated_at' - 'content' - 'sha256' - 'size_bytes' #- '{metrics,seconds}')::text
                FROM \(identifier: table) t ORDER BY 1
                """
            ).rows.map { try $0.decode(0) }
        }
    }

    /// Every stored report's page, keyed by learner and week, with the instant it was generated blanked out.
    func reportPages() throws -> [String: String] {
        let rows = try database.pool.withConnection { connection in
            try connection.query("SELECT user_id || ' ' || week_start::text, content FROM report_artifacts").rows.map {
                (try $0.decode(0, as: String.self), try $0.decode(1, as: ByteArray.self).bytes)
            }
        }
        var pages: [String: String] = [:]
        for (key, content) in rows {
            var page = String(decoding: try Gzip.decompress(content, limit: 1 << 24), as: UTF8.self)
            if let start = page.range(of: "Generated "),
                let end = page.range(of: ". Indicators", range: start.upperBound..<page.endIndex)
            {
                page.replaceSubrange(start.upperBound..<end.lowerBound, with: "…")
            }
            pages[key] = page
        }
        return pages
    }
}
