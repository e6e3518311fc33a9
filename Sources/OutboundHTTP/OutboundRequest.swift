/// A request for `HTTPClient.send`: method, URL, headers, body and the limits that keep a call from hanging.
public struct OutboundRequest: Sendable, CustomStringConvertible {
    /// An HTTP method; any token works, the common ones have names.
    public struct Method: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        public init(_ rawValue: String) {
            self.rawValue = rawValue
        }

        public var description: String { rawValue }

        public static let get = Method("GET")
        public static let head = Method("HEAD")
        public static let post = Method("POST")
        public static let put = Method("PUT")
        public static let patch = Method("PATCH")
        public static let delete = Method("DELETE")
    }

    public var method: Method
    /// An absolute `http://` or `https://` URL; other schemes are refused.
    public var url: String
    /// Header fields in order. Names and values must not contain CR or LF.
    public var headers: [(name: String, value: String)]
    /// The request body. A body without a `Content-Type` header is sent as `application/octet-stream`.
    public var body: [UInt8]
    /// The limit for the whole call: connecting, sending and receiving (`CURLOPT_TIMEOUT_MS`).
    public var timeout: Duration
    /// The limit for establishing the connection, TLS included (`CURLOPT_CONNECTTIMEOUT_MS`).
    public var connectTimeout: Duration
    /// Response bodies larger than this abort the call with `OutboundError.Kind.responseTooLarge`.
    public var maxResponseBytes: Int
    /// Whether 3xx responses are followed (at most 5 hops); off by default, so a redirect is the response.
    public var followsRedirects: Bool
    /// AWS Signature V4 signing, set by `ObjectStorageClient`.
    var signing: SigV4Signing?

    public init(
        method: Method = .get, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 8 * 1024 * 1024, followsRedirects: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.followsRedirects = followsRedirects
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Method and origin only: paths, queries, header values and bodies may hold tokens, so none of them is shown.
    public var description: String {
        "\(method) \(URLOrigin.redacted(url)) (\(headers.count) headers, \(body.count)-byte body)"
    }
}

/// Credentials and scope for libcurl's built-in AWS Signature V4 (`CURLOPT_AWS_SIGV4`). Printing or dumping it (or
/// a request holding it) never shows the secret.
struct SigV4Signing: Sendable, CustomStringConvertible, CustomReflectable {
    /// `aws:amz:<region>:<service>`, as libcurl expects it.
    var provider: String
    var accessKeyID: String
    var secretAccessKey: String

    var description: String { "SigV4(\(provider), key id \(accessKeyID), secret redacted)" }

    var customMirror: Mirror {
        Mirror(self, children: ["provider": provider, "accessKeyID": accessKeyID, "secretAccessKey": "<redacted>"])
    }
}
