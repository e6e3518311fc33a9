import CCurl
import Logging

/// A blocking HTTP client over libcurl easy handles.
///
/// Each `send` creates, uses and releases its own easy handle on the calling thread, so the client itself is a
/// plain `Sendable` value that any number of threads may share. Calls block for up to the request's timeout: make
/// them from threads you own, never from the Swift concurrency pool.
public struct HTTPClient: Sendable {
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Receives one debug line per call and one line per retry.
    public var logger: Logger

    public init(userAgent: String = "seedtest-pipelines", logger: Logger) {
        self.userAgent = userAgent
        self.logger = logger
    }

    /// Sends `request` and returns the response, whatever its status (see `send(_:retrying:)` for one that treats
    /// non-2xx as failure). Throws when no complete response arrived within the limits, or when the request is
    /// unusable.
    public func send(_ request: OutboundRequest) throws(OutboundError) -> OutboundResponse {
        let headerLines = try Self.headerLines(for: request)
        guard let easy = CurlEasy() else { throw CurlFailure.error(CURLE_FAILED_INIT, request: request) }
        let collector = ResponseCollector(limit: request.maxResponseBytes)
        configure(easy, for: request, headerLines: headerLines)
        collector.attach(to: easy)
        if let failure = easy.firstFailure {
            let message = "libcurl refused \(failure.option): \(CurlRuntime.message(for: failure.code))"
            throw Self.error(.invalidRequest(message), request)
        }
        let started = ContinuousClock.now
        let code = withExtendedLifetime(collector) { easy.perform() }
        let elapsed = ContinuousClock.now - started
        if collector.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            throw Self.error(.responseTooLarge(limit: request.maxResponseBytes), request)
        }
        guard code == CURLE_OK else {
            let error = CurlFailure.error(code, request: request)
            logger.debug(
                "outbound request failed",
                metadata: [
                    "target": "\(error.target)", "error": "\(error.reason)", "ms": "\(elapsed.curlMilliseconds)",
                ])
            throw error
        }
        let response = OutboundResponse(status: easy.responseCode, headers: collector.headers, body: collector.body)
        logger.debug(
            "outbound request",
            metadata: [
                "method": "\(request.method)", "target": "\(URLOrigin.redacted(request.url))",
                "status": "\(response.status)", "ms": "\(elapsed.curlMilliseconds)",
            ])
        return response
    }

    private func configure(_ easy: CurlEasy, for request: OutboundRequest, headerLines: [String]) {
        easy.set(CURLOPT_URL, request.url, name: "URL")
        // Threads call this concurrently: libcurl must not use signals (SIGALRM) for its timeouts.
        easy.set(CURLOPT_NOSIGNAL, 1, name: "NOSIGNAL")
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https", name: "PROTOCOLS_STR")
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", name: "REDIR_PROTOCOLS_STR")
        easy.set(CURLOPT_FOLLOWLOCATION, request.followsRedirects ? 1 : 0, name: "FOLLOWLOCATION")
        easy.set(CURLOPT_MAXREDIRS, 5, name: "MAXREDIRS")
        easy.set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds, name: "TIMEOUT_MS")
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds, name: "CONNECTTIMEOUT_MS")
        easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(request.maxResponseBytes), name: "MAXFILESIZE_LARGE")
        easy.set(CURLOPT_USERAGENT, userAgent, name: "USERAGENT")
        // Keep `/./` and `/../` in paths: an object key may contain them, and they must reach the server as sent.
        easy.set(CURLOPT_PATH_AS_IS, 1, name: "PATH_AS_IS")
        switch request.method {
        case .get: easy.set(CURLOPT_HTTPGET, 1, name: "HTTPGET")
        case .head: easy.set(CURLOPT_NOBODY, 1, name: "NOBODY")
        default: easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue, name: "CUSTOMREQUEST")
        }
        if Self.sendsBody(request) {
            easy.setBody(request.body)
        }
        easy.setHeaders(headerLines)
        if let signing = request.signing {
            easy.set(CURLOPT_AWS_SIGV4, signing.provider, name: "AWS_SIGV4")
            easy.set(CURLOPT_USERNAME, signing.accessKeyID, name: "USERNAME")
            easy.set(CURLOPT_PASSWORD, signing.secretAccessKey, name: "PASSWORD")
        }
    }

    /// POST, PUT and PATCH always carry a body (possibly empty, with `Content-Length: 0`); others only when given one.
    private static func sendsBody(_ request: OutboundRequest) -> Bool {
        [.post, .put, .patch].contains(request.method) || !request.body.isEmpty
    }

    /// The header lines for libcurl. A body gets a `Content-Type` when the caller set none, because libcurl would
    /// otherwise add a form-encoding one. Headers are never *removed* with libcurl's `Name:` syntax: its SigV4
    /// signing (7.88) would sign the removed header. Empty values use libcurl's `Name;` syntax.
    private static func headerLines(for request: OutboundRequest) throws(OutboundError) -> [String] {
        var lines: [String] = []
        for (name, value) in request.headers {
            let isToken = !name.isEmpty && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
            guard isToken, !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
                throw error(
                    .invalidRequest("header names must be tokens and values must not contain CR, LF or NUL"), request)
            }
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if sendsBody(request) && request.header("Content-Type") == nil {
            lines.append("Content-Type: application/octet-stream")
        }
        return lines
    }

    static func error(_ kind: OutboundError.Kind, _ request: OutboundRequest) -> OutboundError {
        OutboundError(kind, method: request.method.rawValue, target: URLOrigin.redacted(request.url))
    }
}
