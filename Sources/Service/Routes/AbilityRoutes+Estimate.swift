import Fields
import HTTPServer
import IRT
import JSON
import Pipelines
import UTCTime

extension AbilityRoutes {
    /// `POST /v1/users/{user_id}/ability/estimate` with `{"responses":[{"item_id","correct"}…], "version",
    /// "method": "EAP"|"MAP", "lookback_days"}` (all optional; without responses the learner's stored first answers
    /// of the last `lookback_days` are scored). Writes nothing.
    static func estimate(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let user = try PathReader(request).identifier("user_id")
        let body = try RequestBody.object(request)
        let fields = FieldReader(json: body)
        let version: String
        let method: CalibrationOptions.Scoring
        let lookback: Int
        let given: [OnlineAbilityEstimator.Response]?
        do throws(FieldError) {
            try fields.rejectUnknown(["responses", "version", "method", "lookback_days"])
            try fields.rejectNulls()
            version = try fields.identifier("version", maximumLength: 64) ?? "v1"
            method = try fields.oneOf("method", default: .eap, ignoringCase: true)
            lookback = try fields.int("lookback_days", default: 30, range: 1...3650)
            given = try responses(fields)
        } catch {
            throw HTTPError(error)
        }
        let result = try withDatabase {
            try context.pool.withConnection { connection -> OnlineAbilityEstimator.Estimate in
                let pattern =
                    try given
                    ?? OnlineAbilityEstimator.storedResponses(
                        connection, userID: user, window: TimeWindow(endingOn: Day.today(), days: lookback))
                do {
                    return try OnlineAbilityEstimator.estimate(
                        connection, responses: pattern, version: version, method: method)
                } catch let error as OnlineAbilityEstimator.NoEstimateError {
                    throw HTTPError(.unprocessableContent, code: .noEstimate, message: error.description)
                }
            }
        }
        return .json(
            .object(
                JSONObject([
                    ("user_id", .string(user)), ("theta", .double(result.ability.theta)),
                    ("se", .double(result.ability.se)), ("method", .string(method.rawValue)),
                    ("version", .string(version)), ("source", given == nil ? "stored" : "request"),
                    ("items_used", .int(Int64(result.itemsUsed))),
                    ("items_skipped", .array(result.itemsSkipped.map(JSONValue.string))),
                    ("prior", ["mean": .double(result.latentMean), "sd": .double(result.latentSD)]),
                ])))
    }

    /// The optional `responses`: at most 10000, one per item.
    static func responses(_ fields: FieldReader) throws(FieldError) -> [OnlineAbilityEstimator.Response]? {
        guard let elements = try fields.list("responses", maxCount: 10_000, of: "responses") else { return nil }
        var seen: Set<String> = []
        var result: [OnlineAbilityEstimator.Response] = []
        for (index, element) in elements.enumerated() {
            let response = try fields.element(element, of: "responses", at: index)
            let item = try response.requiredIdentifier("item_id")
            let correct = try response.requiredBool("correct")
            guard seen.insert(item).inserted else {
                throw response.failure("item_id", "repeats \(item); send one response per item")
            }
            result.append(OnlineAbilityEstimator.Response(itemID: item, correct: correct))
        }
        return result
    }
}
