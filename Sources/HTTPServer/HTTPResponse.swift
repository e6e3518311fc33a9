import JSON

/// A response as a handler returns it. The server adds framing headers (`Content-Length`, `Connection`, `Date`,
/// `X-Request-Id`) and compresses the body when the client accepts gzip.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    public static func json(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: value.encoded())
    }

    /// A plain-text or other typed response.
    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPStatus = .ok)
        -> HTTPResponse
    {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}
