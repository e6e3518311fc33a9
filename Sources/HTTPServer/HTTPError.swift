import Fields
import JSON

/// A failure that is the client's to fix (or a deliberate service status such as 503): it carries its status, a
/// stable machine-readable code and a message that names the bad field or header. How it reaches the client is the
/// server's `Configuration.renderError` (plain text unless the application supplies its own format). Anything thrown
/// that is not an `HTTPError` becomes an opaque 500.
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

    /// The default rendering: `code: message` as plain text, with the error's headers. `details` are left out; an
    /// application that needs them supplies its own `Configuration.renderError`.
    public static func plainTextResponse(_ error: HTTPError, requestID: String) -> HTTPResponse {
        var response = HTTPResponse.text("\(error.code): \(error.message)\n", status: error.status)
        for field in error.headers { response.headers.add(field.name, field.value) }
        return response
    }
}

/// Turns an error into the response a client sees; the request id is the one the response carries in `X-Request-Id`.
public typealias ErrorRenderer = @Sendable (_ error: HTTPError, _ requestID: String) -> HTTPResponse
