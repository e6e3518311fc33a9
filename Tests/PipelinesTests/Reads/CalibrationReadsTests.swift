import JSON
import Pipelines
import Postgres
import TestSupport
import Testing
import UTCTime

/// `ItemReads`, `CalibrationReads` and `AbilityReads` against PostgreSQL, without HTTP.
@Suite struct CalibrationReadsTests {
    /// Two calibrations (runs 1 and 2) of items q1 and q2, an anchor q3 never calibrated, and abilities.
    func fixture() throws -> Harness {
        let harness = try Harness()
        try harness.execute(
            """
            INSERT INTO pipeline_runs (stage, status, finished_at) VALUES
                ('calibrate-irt', 'succeeded', now()), ('calibrate-irt', 'succeeded', now())
            """)
        try harness.execute(
            """
            INSERT INTO items (item_id, topic_id, anchor, a, b, c) VALUES
                ('q1', 't1', false, NULL, NULL, NULL), ('q2', 't2', false, NULL, NULL, NULL),
                ('q3', 't1', true, 1.5, -0.5, 0.1)
            """)
        try harness.execute(
            """
            INSERT INTO mirt_item_params_history (item_id, version, model, params, n_responses, run_id, fitted_at, as_of) VALUES
                ('q1', 'v1', '2PL', '{"a": 1.0, "b": 0.0}', 10, 1, '2026-11-01T00:00:00Z', '2026-10-31'),
                ('q1', 'v1', '2PL', '{"a": 1.2, "b": 0.1}', 20, 2, '2026-11-08T00:00:00Z', '2026-11-07')
            """)
        try harness.execute(
            """
            INSERT INTO mirt_item_params (item_id, version, model, params, n_responses, run_id, fitted_at, as_of) VALUES
                ('q1', 'v1', '2PL', '{"a": 1.2, "b": 0.1}', 20, 2, '2026-11-08T00:00:00Z', '2026-11-07'),
                ('q2', 'v1', '2PL', '{"a": 0.8, "b": 1.0}', 15, 2, '2026-11-08T00:00:00Z', '2026-11-07'),
                ('q9', 'v1', '1PL', '{"a": 1, "b": 2}', 5, 1, '2026-11-01T00:00:00Z', '2026-10-31')
            """)
        try harness.execute(
            """
            INSERT INTO mirt_fit_meta (run_id, model_spec, metrics, fitted_at) VALUES
                (1, '{"version": "v1"}', '{"latent_mean": 0}', '2026-11-01T00:00:00Z'),
                (2, '{"version": "v1"}', '{"latent_mean": 0.1}', '2026-11-08T00:00:00Z')
            """)
        try harness.execute(
            """
            INSERT INTO mirt_ability (user_id, version, theta, se, model, run_id, fitted_at, as_of) VALUES
                ('u1', 'v1', 0.5, 0.2, '2PL', 2, '2026-11-08T00:00:00Z', '2026-11-07'),
                ('u1', 'v2', 0.7, 0.3, '2PL', 1, '2026-11-01T00:00:00Z', '2026-10-31'),
                ('u2', 'v1', -0.5, 0.4, '2PL', 2, '2026-11-08T00:00:00Z', '2026-11-07')
            """)
        try harness.execute(
            """
            INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of) VALUES
                ('u1', 'v1', 0.3, 0.25, '2PL', 1, '2026-11-01T00:00:00Z', '2026-10-31'),
                ('u1', 'v1', 0.5, 0.2, '2PL', 2, '2026-11-08T00:00:00Z', '2026-11-07')
            """)
        return harness
    }

    @Test func itemsListEveryKnownItemWithItsLatestParameters() throws {
        let harness = try fixture()
        try harness.database.pool.withConnection { connection throws in
            let all = try ItemReads.items(topic: nil, after: nil, limit: 10, connection)
            #expect(all.map(\.itemID) == ["q1", "q2", "q3", "q9"])
            #expect(all[0].params == ["a": 1.2, "b": 0.1])
            #expect(all[0].responseCount == 20)
            #expect(all[0].runID == 2)
            #expect(all[0].fittedAt == Timestamp(rfc3339: "2026-11-08T00:00:00Z"))
            #expect(all[0].topicID == "t1" && !all[0].anchor)
            // The anchor was never calibrated: no parameters of a calibration, its stored ones instead.
            #expect(all[2].params == nil && all[2].model == nil && all[2].anchor)
            #expect(all[2].a == 1.5 && all[2].b == -0.5 && all[2].c == 0.1)
            // Calibrated but not in items: no topic.
            #expect(all[3].topicID == nil && all[3].model == "1PL")
            #expect(try ItemReads.items(topic: "t1", after: nil, limit: 10, connection).map(\.itemID) == ["q1", "q3"])
            #expect(try ItemReads.items(topic: nil, after: "q2", limit: 1, connection).map(\.itemID) == ["q3"])
        }
    }

    @Test func oneItemAndItsHistory() throws {
        let harness = try fixture()
        try harness.database.pool.withConnection { connection throws in
            #expect(try ItemReads.item("q2", connection)?.params == ["a": 0.8, "b": 1.0])
            #expect(try ItemReads.item("missing", connection) == nil)
            let history = try ItemReads.history(of: "q1", limit: 5, connection)
            #expect(history.map(\.runID) == [2, 1])
            #expect(history[1].params == ["a": 1.0, "b": 0.0])
            #expect(history[1].responseCount == 10 && history[1].model == "2PL" && history[1].version == "v1")
            #expect(try ItemReads.history(of: "q1", limit: 1, connection).count == 1)
        }
    }

    @Test func calibrationsPageNewestFirst() throws {
        let harness = try fixture()
        try harness.database.pool.withConnection { connection throws in
            let all = try CalibrationReads.calibrations(before: nil, limit: 10, connection)
            #expect(all.map(\.runID) == [2, 1])
            #expect(all[0].metrics == ["latent_mean": 0.1])
            #expect(all[0].modelSpec == ["version": "v1"])
            #expect(try CalibrationReads.calibrations(before: 2, limit: 10, connection).map(\.runID) == [1])
            #expect(
                try CalibrationReads.calibration(runID: 1, connection)?.fittedAt
                    == Timestamp(rfc3339: "2026-11-01T00:00:00Z"))
            #expect(try CalibrationReads.calibration(runID: 99, connection) == nil)
        }
    }

    @Test func abilitiesLatestPerLearnerAndHistory() throws {
        let harness = try fixture()
        try harness.database.pool.withConnection { connection throws in
            let latest = try AbilityReads.latest(version: nil, after: nil, limit: 10, connection)
            #expect(latest.map(\.userID) == ["u1", "u2"])
            #expect(latest[0].version == "v1" && latest[0].theta == 0.5 && latest[0].se == 0.2 && latest[0].runID == 2)
            #expect(try AbilityReads.latest(version: "v2", after: nil, limit: 10, connection).map(\.theta) == [0.7])
            #expect(try AbilityReads.latest(version: nil, after: "u1", limit: 10, connection).map(\.userID) == ["u2"])
            let one = try #require(try AbilityReads.latest(of: "u1", version: nil, connection))
            #expect(one.version == "v1" && one.model == "2PL")
            #expect(try AbilityReads.latest(of: "u1", version: "v2", connection)?.theta == 0.7)
            #expect(try AbilityReads.latest(of: "nobody", version: nil, connection) == nil)
            let history = try AbilityReads.history(of: "u1", version: "v1", limit: 10, connection)
            #expect(history.map(\.runID) == [2, 1])
            #expect(history[1].theta == 0.3 && history[1].se == 0.25)
            #expect(try AbilityReads.history(of: "u1", version: "v2", limit: 10, connection).isEmpty)
        }
    }
}
