import IRT
import JSON
import Postgres
import UTCTime

/// Writes one calibration's results in the run's transaction: the latest item parameters and abilities per version
/// (upserted, unless the stored row is as of a later day), their history (appended), and, when asked, the new
/// parameters into `items` for non-anchor items. Every row records the calibration's `as_of` day.
enum CalibrationWriter {
    struct Context {
        let runID: Int64
        let version: String
        let model: IRTModel
        let fittedAt: Timestamp
        /// The day whose data the calibration used.
        let asOf: Day
    }

    /// `fits`, when given, holds each item's fit (parallel to `ids`), stored in its parameters as `params.fit`.
    static func writeItems(
        _ connection: PostgresConnection, ids: [String], estimates: [ItemEstimate], fits: [JSONObject]? = nil,
        context: Context, updateItems: Bool
    ) throws {
        try connection.execute(
            """
            CREATE TEMP TABLE incoming_item_params (item_id text COLLATE "C", params jsonb, n_responses integer,
                a float8, b float8, c float8, anchor boolean) ON COMMIT DROP
            """)
        try connection.copyIn(
            "COPY incoming_item_params (item_id, params, n_responses, a, b, c, anchor) FROM STDIN"
        ) { writer in
            for (index, (id, estimate)) in zip(ids, estimates).enumerated() {
                let p = estimate.parameters
                var object = JSONObject([
                    ("a", .double(p.a)), ("b", .double(p.b)), ("c", .double(p.c)), ("se_a", .double(estimate.se.a)),
                    ("se_b", .double(estimate.se.b)), ("se_c", .double(estimate.se.c)),
                ])
                if let fits, index < fits.count { object["fit"] = .object(fits[index]) }
                let params = JSONValue.object(object)
                writer.append(id)
                writer.append(params.jsonText)
                writer.append(estimate.responseCount)
                writer.append(p.a)
                writer.append(p.b)
                writer.append(p.c)
                writer.append(estimate.isAnchor)
                try writer.endRow()
            }
        }
        // The columns after item_id, as both INSERTs select them.
        let values: PostgresQuery = """
            \(context.version), \(context.model.rawValue), params, n_responses, \(context.runID), \(context.fittedAt),
            \(context.asOf)
            """
        try connection.query(
            """
            INSERT INTO mirt_item_params (item_id, version, model, params, n_responses, run_id, fitted_at, as_of)
            SELECT item_id, \(values) FROM incoming_item_params
            ON CONFLICT (item_id, version) DO UPDATE SET model = EXCLUDED.model, params = EXCLUDED.params,
                n_responses = EXCLUDED.n_responses, run_id = EXCLUDED.run_id, fitted_at = EXCLUDED.fitted_at,
                as_of = EXCLUDED.as_of
            WHERE EXCLUDED.as_of >= mirt_item_params.as_of
            """)
        try connection.query(
            """
            INSERT INTO mirt_item_params_history (item_id, version, model, params, n_responses, run_id, fitted_at,
                as_of)
            SELECT item_id, \(values) FROM incoming_item_params
            """)
        if updateItems {
            try connection.query(
                """
                INSERT INTO items (item_id, a, b, c)
                SELECT item_id, a, b, c FROM incoming_item_params incoming
                WHERE NOT anchor AND NOT EXISTS (
                    SELECT 1 FROM mirt_item_params newer
                    WHERE newer.item_id = incoming.item_id AND newer.as_of > \(context.asOf))
                ON CONFLICT (item_id) DO UPDATE SET a = EXCLUDED.a, b = EXCLUDED.b, c = EXCLUDED.c, updated_at = now()
                WHERE NOT items.anchor
                """)
        }
    }

    static func writeAbilities(
        _ connection: PostgresConnection, ids: [String], abilities: [AbilityEstimate], context: Context
    ) throws {
        try connection.execute(
            "CREATE TEMP TABLE incoming_abilities (user_id text COLLATE \"C\", theta float8, se float8) ON COMMIT DROP")
        // In id byte order (the "C" collation's), so that the upsert and the history's inserts walk their indexes
        // left to right: 0.49 → 0.38 s for the history of 49,438 learners, against the calibration's learner order.
        guard ids.count == abilities.count else {
            throw StageError("\(abilities.count) abilities estimated for \(ids.count) learners")
        }
        let order = ids.indices.sorted { ids[$0].utf8.lexicographicallyPrecedes(ids[$1].utf8) }
        try connection.copyIn("COPY incoming_abilities (user_id, theta, se) FROM STDIN") { writer in
            for index in order {
                writer.append(ids[index])
                writer.append(abilities[index].theta)
                writer.append(abilities[index].se)
                try writer.endRow()
            }
        }
        // The columns after user_id, as both INSERTs select them.
        let values: PostgresQuery = """
            \(context.version), theta, se, \(context.model.rawValue), \(context.runID), \(context.fittedAt),
            \(context.asOf)
            """
        try connection.query(
            """
            INSERT INTO mirt_ability (user_id, version, theta, se, model, run_id, fitted_at, as_of)
            SELECT user_id, \(values) FROM incoming_abilities
            ON CONFLICT (user_id, version) DO UPDATE SET theta = EXCLUDED.theta, se = EXCLUDED.se,
                model = EXCLUDED.model, run_id = EXCLUDED.run_id, fitted_at = EXCLUDED.fitted_at,
                as_of = EXCLUDED.as_of
            WHERE EXCLUDED.as_of >= mirt_ability.as_of
            """)
        try connection.query(
            """
            INSERT INTO mirt_ability_history (user_id, version, theta, se, model, run_id, fitted_at, as_of)
            SELECT user_id, \(values) FROM incoming_abilities
            """)
    }

    static func writeMetadata(
        _ connection: PostgresConnection, runID: Int64, modelSpec: JSONObject, metrics: JSONObject, fittedAt: Timestamp
    ) throws {
        try connection.query(
            """
            INSERT INTO mirt_fit_meta (run_id, model_spec, metrics, fitted_at)
            VALUES (\(runID), \(JSONValue.object(modelSpec)), \(JSONValue.object(metrics)), \(fittedAt))
            """
        )
    }

    /// The parameters of the same version and model with the latest `as_of` up to `asOf` (ties: the latest run), for
    /// drift: the calibration a nightly schedule would have run before this one, whenever it actually ran.
    static func previousParameters(_ connection: PostgresConnection, version: String, model: IRTModel, asOf: Day)
        throws -> [String: ItemParameters]
    {
        var previous: [String: ItemParameters] = [:]
        try connection.stream(
            """
            SELECT DISTINCT ON (item_id) item_id, (params->>'a')::float8, (params->>'b')::float8,
                (params->>'c')::float8
            FROM mirt_item_params_history
            WHERE version = \(version) AND model = \(model.rawValue) AND as_of <= \(asOf)
            ORDER BY item_id, as_of DESC, run_id DESC
            """
        ) { row in
            previous[try row.decode(0)] = ItemParameters(
                a: try row.decode(1), b: try row.decode(2), c: try row.decode(3))
        }
        return previous
    }

    /// Anchor items among `ids`, by their index.
    static func anchors(_ connection: PostgresConnection, ids: [String]) throws -> [Int: ItemParameters] {
        var index: [String: Int] = [:]
        for (position, id) in ids.enumerated() { index[id] = position }
        var anchors: [Int: ItemParameters] = [:]
        for row in try connection.query("SELECT item_id, a, b, c FROM items WHERE anchor").rows {
            guard let position = index[try row.decode(0)] else { continue }
            anchors[position] = ItemParameters(a: try row.decode(1), b: try row.decode(2), c: try row.decode(3))
        }
        return anchors
    }
}
