import HTTPServer
import JSON

/// Reading JSON request bodies with errors that say what is wrong.
enum RequestBody {
    /// The body as a JSON object; an empty body is an empty object (every parameter is optional).
    static func object(_ request: HTTPRequest) throws(HTTPError) -> JSONObject {
        if request.body.isEmpty || request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return JSONObject()
        }
        if let type = request.contentType, type != "application/json" {
            throw HTTPError(
                .unsupportedMediaType, code: .unsupportedMediaType,
                message: "the body must be JSON with Content-Type: application/json, got \(type)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(request.body)
        } catch {
            throw HTTPError.badRequest("the body is not valid JSON: \(error)", code: .invalidJSON)
        }
        guard let object = value.objectValue else {
            throw HTTPError.badRequest(
                "the body must be a JSON object, got \(value.typeDescription)", code: .invalidJSON)
        }
        return object
    }
}
