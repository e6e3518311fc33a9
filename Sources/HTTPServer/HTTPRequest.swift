/// A parsed request line and header section, before the body has been read.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target as sent (origin form, or the path and query of an absolute form).
    public var target: String
    /// The raw (still percent-encoded) path of the target.
    public var path: String
    /// The raw query string after `?`, if any.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection may be reused after this request, from the version and `Connection` header.
    public var keepAlive: Bool
}

/// A complete request as a handler sees it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The body after transfer decoding and, for `Content-Encoding: gzip`, inflation.
    public var body: [UInt8]
    /// Path parameters of the matched route, percent-decoded.
    public var pathParameters: [String: String]
    /// The matched route's template (`/v1/runs/{id}`), used in logs and metrics instead of the raw path.
    public var routeTemplate: String
    /// The client's `X-Request-Id` when it sent a usable one, otherwise a generated id.
    public var requestID: String
    public var query: QueryParameters
    /// Set only on a route that keeps gzip bodies (`Route.keepsGzipBody`) when this body is gzip: `body` is still
    /// compressed, and the handler inflates it to at most this many bytes (`HTTPError(inflating:)` answers failures).
    public var gzipBodyLimit: Int?

    public init(
        head: HTTPRequestHead, body: [UInt8] = [], pathParameters: [String: String] = [:], routeTemplate: String = "",
        requestID: String = "", query: QueryParameters = QueryParameters(), gzipBodyLimit: Int? = nil
    ) {
        self.head = head
        self.body = body
        self.pathParameters = pathParameters
        self.routeTemplate = routeTemplate
        self.requestID = requestID
        self.query = query
        self.gzipBodyLimit = gzipBodyLimit
    }

    public var method: HTTPMethod { head.method }
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }

    /// The media type of the body without parameters, lower-cased (`application/json`).
    public var contentType: String? {
        headers["content-type"].map { value in
            let type = value.split(separator: ";", maxSplits: 1).first ?? ""
            return type.trimmingSpaces().lowercased()
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
