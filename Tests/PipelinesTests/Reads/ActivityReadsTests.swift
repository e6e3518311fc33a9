import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// `ActivityReads` against PostgreSQL, without HTTP.
@Suite struct ActivityReadsTests {
    @Test func inactiveLearnersPageLongestInactiveFirst() throws {
        let harness = try Harness()
        try harness.execute(
            """
            INSERT INTO learner_activity
                (user_id, last_active_at, inactive_since, days_inactive, status, detected_at, notified_at) VALUES
                ('a', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 25, 'inactive', '2026-11-26T00:00:00Z', NULL),
                ('b', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', 25, 'inactive', '2026-11-26T00:00:00Z',
                    '2026-11-20T00:00:00Z'),
                ('c', '2026-11-10T00:00:00Z', '2026-11-17T00:00:00Z', 16, 'inactive', '2026-11-26T00:00:00Z', NULL),
                ('d', '2026-11-25T00:00:00Z', NULL, 1, 'active', '2026-11-26T00:00:00Z', NULL),
                ('e', '2026-01-01T00:00:00Z', '2026-01-08T00:00:00Z', 329, 'dormant', '2026-11-26T00:00:00Z', NULL)
            """)
        try harness.database.pool.withConnection { connection throws in
            let all = try ActivityReads.inactive(minimumDays: 0, after: nil, limit: 10, connection)
            #expect(all.map(\.userID) == ["b", "a", "c"])
            #expect(all[0].notifiedAt == Timestamp(rfc3339: "2026-11-20T00:00:00Z"))
            #expect(all[1].notifiedAt == nil && all[1].daysInactive == 25 && all[1].status == "inactive")
            #expect(all[1].inactiveSince == Timestamp(rfc3339: "2026-11-08T00:00:00Z"))
            #expect(all[1].lastActiveAt == Timestamp(rfc3339: "2026-11-01T00:00:00Z"))
            #expect(all[1].detectedAt == Timestamp(rfc3339: "2026-11-26T00:00:00Z"))
            #expect(try ActivityReads.inactive(minimumDays: 20, after: nil, limit: 10, connection).count == 2)
            let next = try ActivityReads.inactive(minimumDays: 0, after: (25, "b"), limit: 10, connection)
            #expect(next.map(\.userID) == ["a", "c"])
            // A position past any int4 is still a position, not an error.
            let huge = try ActivityReads.inactive(
                minimumDays: 0, after: (Int(Int32.max) + 10, "x"), limit: 1, connection)
            #expect(huge.map(\.userID) == ["b"])
        }
    }
}
