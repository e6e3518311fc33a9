import Fields
import JSON

/// A failure that is the client's to fix (or a deliberate service status such as 503): it carries its status, a
/// stable machine-readable code and a message that names the bad field or header. Rendered as
/// `{"error":{"code":…,"message":…,"request_id":…}}`. Anything thrown that is not an `HTTPError` becomes an opaque 500.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPStatus
    public var code: ErrorCode
    public var message: String
    public var headers: HTTPHeaders
    /// Extra members placed in the error object (for example the id of the run that holds a lock).
    public var details: JSONObject

    public init(
        _ status: HTTPStatus, code: ErrorCode, message: String, headers: HTTPHeaders = HTTPHeaders(),
        details: JSONObject = JSONObject()
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.details = details
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// A 400 naming the offending field.
    public static func badRequest(_ message: String, code: ErrorCode = .badRequest) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    public static func notFound(_ message: String) -> HTTPError {
        HTTPError(.notFound, code: .notFound, message: message)
    }

    /// The response a client sees for this error.
    public func response(requestID: String) -> HTTPResponse {
        var error = JSONObject([("code", .string(code.rawValue)), ("message", .string(message))])
        for member in details.members { error[member.key] = member.value }
        error["request_id"] = .string(requestID)
        var response = HTTPResponse.json(.object(JSONObject([("error", .object(error))])), status: status)
        for field in headers { response.headers.add(field.name, field.value) }
        return response
    }
}
