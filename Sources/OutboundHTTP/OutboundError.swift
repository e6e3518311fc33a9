/// Why an outbound call failed, with enough to decide on a retry and to log it safely.
///
/// The description names the method and the origin (`scheme://host:port`) only: URL paths and queries (webhook
/// tokens), userinfo, header values (`Authorization`), bodies and keys never appear in it.
public struct OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No usable exchange with the server: resolving, connecting, TLS, sending or receiving failed. `code` is
        /// libcurl's `CURLcode`, `message` its `curl_easy_strerror` text.
        case connection(code: Int, message: String)
        /// The total or the connect timeout elapsed (`CURLE_OPERATION_TIMEDOUT`); `limit` is the total timeout.
        case timeout(limit: Duration, message: String)
        /// The server answered with a status other than 2xx. `serviceCode` is the error code of an S3-style XML
        /// body (`NoSuchBucket`), when there is one.
        case status(Int, serviceCode: String?)
        /// The response body was larger than the request allowed.
        case responseTooLarge(limit: Int)
        /// The request cannot be sent as given: bad URL or scheme, CR or LF in a header, an option libcurl refused.
        case invalidRequest(String)
    }

    public let kind: Kind
    /// The request's method.
    public let method: String
    /// The request's origin, `scheme://host[:port]`, without userinfo, path or query.
    public let target: String

    public init(_ kind: Kind, method: String, target: String) {
        self.kind = kind
        self.method = method
        self.target = target
    }

    /// Whether trying again might succeed: connection failures, timeouts, 5xx and 429. Other 4xx never are.
    public var isRetryable: Bool {
        switch kind {
        case .connection(let code, _): return CurlFailure.isTransient(code)
        case .timeout: return true
        case .status(let status, _): return status >= 500 || status == 429
        case .responseTooLarge, .invalidRequest: return false
        }
    }

    /// Whether the server was never reached or never answered in time (as opposed to answering with an error).
    public var isConnectionFailure: Bool {
        switch kind {
        case .connection, .timeout: return true
        default: return false
        }
    }

    /// The HTTP status, for `.status` errors.
    public var status: Int? {
        if case .status(let status, _) = kind { return status }
        return nil
    }

    /// A short reason without method or target, e.g. `HTTP 404 NoSuchBucket` or `timed out (limit 5000 ms)`.
    public var reason: String {
        switch kind {
        case .connection(let code, let message): return "connection failed: \(message) (curl \(code))"
        case .timeout(let limit, let message):
            return "timed out (limit \(limit.curlMilliseconds) ms): \(message)"
        case .status(let status, let serviceCode): return "HTTP \(status)" + (serviceCode.map { " \($0)" } ?? "")
        case .responseTooLarge(let limit): return "response body larger than \(limit) bytes"
        case .invalidRequest(let message): return "invalid request: \(message)"
        }
    }

    public var description: String { "\(method) \(target): \(reason)" }
}

/// The origin of a URL for messages and logs.
enum URLOrigin {
    /// `scheme://host[:port]` of `url`, dropping userinfo, path, query and fragment; a placeholder when the URL has
    /// no scheme, so that a malformed URL (which might be a secret pasted in the wrong place) is never echoed.
    static func redacted(_ url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return "<URL without scheme>" }
        let scheme = url[..<separator.lowerBound]
        let rest = url[separator.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        return "\(scheme.lowercased())://\(authority)"
    }
}
