import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// `FeatureReads` against PostgreSQL, without HTTP.
@Suite struct FeatureReadsTests {
    @Test func featuresOfALearnerNewestDayFirst() throws {
        let harness = try Harness()
        try harness.execute(
            """
            INSERT INTO features_topic_daily (user_id, topic_id, date, attempts, correct, avg_time_ms, rt_median, hints,
                theta_estimate, theta_sd, improvement, last_seen_at, computed_at) VALUES
                ('u', 't1', '2026-11-20', 4, 3, 1500.5, 1200, 1, 0.2, 0.3, 0.1, '2026-11-20T10:00:00Z', '2026-11-21T00:00:00Z'),
                ('u', '', '2026-11-20', 1, 0, NULL, NULL, 0, NULL, NULL, NULL, '2026-11-20T11:00:00Z', '2026-11-21T00:00:00Z'),
                ('u', 't1', '2026-11-22', 2, 2, 900, 900, 0, 0.4, 0.2, NULL, '2026-11-22T09:00:00Z', '2026-11-23T00:00:00Z'),
                ('v', 't1', '2026-11-22', 2, 2, 900, 900, 0, 0.4, 0.2, NULL, '2026-11-22T09:00:00Z', '2026-11-23T00:00:00Z')
            """)
        try harness.database.pool.withConnection { connection throws in
            let from = try #require(Day(iso: "2026-11-20"))
            let to = try #require(Day(iso: "2026-11-22"))
            let rows = try FeatureReads.features(of: "u", from: from, to: to, topic: nil, connection)
            #expect(rows.map(\.date.iso) == ["2026-11-22", "2026-11-20", "2026-11-20"])
            #expect(rows.map(\.topicID) == ["t1", "", "t1"])
            let day = rows[2]
            #expect(day.attempts == 4 && day.correct == 3 && day.hints == 1)
            #expect(day.averageTimeMs == 1500.5 && day.medianTimeMs == 1200)
            #expect(day.thetaEstimate == 0.2 && day.thetaSD == 0.3 && day.improvement == 0.1)
            #expect(day.lastSeenAt == Timestamp(rfc3339: "2026-11-20T10:00:00Z"))
            #expect(day.computedAt == Timestamp(rfc3339: "2026-11-21T00:00:00Z"))
            #expect(rows[1].averageTimeMs == nil && rows[1].thetaEstimate == nil)
            #expect(try FeatureReads.features(of: "u", from: from, to: from, topic: "t1", connection).count == 1)
            #expect(try FeatureReads.features(of: "u", from: to, to: to, topic: "t2", connection).isEmpty)
        }
    }
}
