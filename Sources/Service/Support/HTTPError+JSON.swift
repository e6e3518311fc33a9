import HTTPServer
import JSON

extension HTTPError {
    /// The service's error format, `{"error":{"code":…,"message":…,…details,"request_id":…}}`, with the error's
    /// headers; the server renders every error through it (`HTTPServer.Configuration.renderError`).
    static func jsonResponse(_ error: HTTPError, requestID: String) -> HTTPResponse {
        var object = JSONObject([("code", .string(error.code.rawValue)), ("message", .string(error.message))])
        for member in error.details.members { object[member.key] = member.value }
        object["request_id"] = .string(requestID)
        var response = HTTPResponse.json(.object(JSONObject([("error", .object(object))])), status: error.status)
        for field in error.headers { response.headers.add(field.name, field.value) }
        return response
    }
}
