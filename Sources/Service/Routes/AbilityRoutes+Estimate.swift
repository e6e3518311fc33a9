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
        let user = request.pathParameters["user_id"] ?? ""
        let body = try RequestBody.object(request)
        let allowed: Set<String> = ["responses", "version", "method", "lookback_days"]
        if let unknown = body.keys.first(where: { !allowed.contains($0) }) {
            throw HTTPError.badRequest("unknown field \(unknown)", code: .invalidParameter)
        }
        let version = try stringField(body, "version") ?? "v1"
        let methodName = try stringField(body, "method") ?? "EAP"
        guard let method = CalibrationOptions.Scoring(rawValue: methodName.uppercased()) else {
            throw HTTPError.badRequest("method must be EAP or MAP, got \(methodName)", code: .invalidParameter)
        }
        var lookback = 30
        if let value = body["lookback_days"] {
            guard let days = value.intValue, (1...3650).contains(days) else {
                throw HTTPError.badRequest("lookback_days must be an integer in 1…3650", code: .invalidParameter)
            }
            lookback = Int(days)
        }
        let given = try responses(body["responses"])
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

    static func stringField(_ body: JSONObject, _ name: String) throws(HTTPError) -> String? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let text = value.stringValue, !text.isEmpty, text.count <= 64 else {
            throw HTTPError.badRequest("\(name) must be a non-empty string", code: .invalidParameter)
        }
        return text
    }

    static func responses(_ value: JSONValue?) throws(HTTPError) -> [OnlineAbilityEstimator.Response]? {
        guard let value, !value.isNull else { return nil }
        guard let array = value.arrayValue, !array.isEmpty, array.count <= 10_000 else {
            throw HTTPError.badRequest(
                "responses must be a non-empty array of at most 10000", code: .invalidParameter)
        }
        var seen: Set<String> = []
        var result: [OnlineAbilityEstimator.Response] = []
        for (index, element) in array.enumerated() {
            guard let item = element["item_id"]?.stringValue, (1...128).contains(item.unicodeScalars.count) else {
                throw HTTPError.badRequest(
                    "responses[\(index)].item_id must be an id string", code: .invalidParameter)
            }
            guard let correct = element["correct"]?.boolValue else {
                throw HTTPError.badRequest(
                    "responses[\(index)].correct must be true or false", code: .invalidParameter)
            }
            guard seen.insert(item).inserted else {
                throw HTTPError.badRequest(
                    "responses[\(index)].item_id repeats \(item); send one response per item", code: .invalidParameter
                )
            }
            result.append(OnlineAbilityEstimator.Response(itemID: item, correct: correct))
        }
        return result
    }
}
