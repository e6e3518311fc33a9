import IRT
import Postgres
import UTCTime

/// The online θ update: scores a response pattern (given, or the learner's stored first answers) with the current
/// item parameters of a calibration version and that calibration's latent scale, writing nothing. For the same
/// pattern, parameters and scale this equals the calibration's own EAP.
public enum OnlineAbilityEstimator {
    public struct Response: Sendable {
        public var itemID: String
        public var correct: Bool

        public init(itemID: String, correct: Bool) {
            self.itemID = itemID
            self.correct = correct
        }
    }

    public struct Estimate: Sendable {
        public var ability: AbilityEstimate
        public var itemsUsed: Int
        /// Items without parameters in this version, which were left out.
        public var itemsSkipped: [String]
        public var latentMean: Double
        public var latentSD: Double
    }

    /// Why no estimate could be made (answered 422).
    public struct NoEstimateError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The learner's first answer to each item in the window, oldest first.
    public static func storedResponses(_ connection: PostgresConnection, userID: String, window: TimeWindow) throws
        -> [Response]
    {
        try connection.query(
            """
            SELECT DISTINCT ON (item_id) item_id, correct FROM attempts
            WHERE user_id = \(userID) AND answered_at >= \(window.start) AND answered_at < \(window.end)
            ORDER BY item_id, answered_at
            """
        ).rows.map { Response(itemID: try $0.decode(0), correct: try $0.decode(1)) }
    }

    public static func estimate(
        _ connection: PostgresConnection, responses: [Response], version: String, method: CalibrationOptions.Scoring
    ) throws -> Estimate {
        guard !responses.isEmpty else { throw NoEstimateError(description: "there are no responses to score") }
        let ids = Array(Set(responses.map(\.itemID)))
        var parameters: [String: ItemParameters] = [:]
        let rows = try connection.query(
            """
            SELECT item_id, (params->>'a')::float8, (params->>'b')::float8, (params->>'c')::float8
            FROM mirt_item_params WHERE version = \(version) AND item_id = ANY(\(ids)::text[])
            UNION ALL
            SELECT item_id, a, b, c FROM items
            WHERE anchor AND item_id = ANY(\(ids)::text[])
              AND item_id NOT IN (SELECT item_id FROM mirt_item_params WHERE version = \(version))
            """)
        for row in rows.rows {
            parameters[try row.decode(0)] = ItemParameters(
                a: try row.decode(1), b: try row.decode(2), c: try row.decode(3))
        }
        // The scale of the calibration with the latest as_of (ties: the latest run), like the current item parameters.
        let scale = try connection.query(
            """
            SELECT (metrics->>'latent_mean')::float8, (metrics->>'latent_sd')::float8 FROM mirt_fit_meta
            WHERE model_spec->>'version' = \(version)
            ORDER BY model_spec->'data'->>'as_of' DESC NULLS LAST, run_id DESC LIMIT 1
            """)
        let mean: Double = scale.rowCount > 0 ? try scale[0].decode(0) : 0
        let sd: Double = scale.rowCount > 0 ? try scale[0].decode(1) : 1
        // `AbilityScorer` requires a finite mean and a positive, finite SD; stored rows are data, so check them here.
        guard mean.isFinite, sd.isFinite, sd > 0 else {
            throw NoEstimateError(
                description: "the latent scale stored for version \(version) is unusable (mean \(mean), sd \(sd))")
        }
        var pattern: [(ItemParameters, Bool)] = []
        var skipped: [String] = []
        for response in responses {
            if let item = parameters[response.itemID] {
                pattern.append((item, response.correct))
            } else {
                skipped.append(response.itemID)
            }
        }
        guard !pattern.isEmpty else {
            throw NoEstimateError(
                description:
                    "none of the \(responses.count) responses is to an item with parameters in version \(version)")
        }
        let scorer = AbilityScorer(priorMean: mean, priorSD: sd)
        let ability = method == .map ? scorer.map(pattern) : scorer.eap(pattern)
        return Estimate(
            ability: ability, itemsUsed: pattern.count, itemsSkipped: skipped, latentMean: mean, latentSD: sd)
    }
}
