import CCurl

/// How libcurl's result codes map onto `OutboundError`.
enum CurlFailure {
    /// Codes that mean the exchange broke on the way (resolution, connection, TLS handshake, a dropped or garbled
    /// response) and may well work on a later try. Certificate problems and refused options are not among them.
    private static let transientCodes: Set<Int> = [
        CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_WEIRD_SERVER_REPLY,
        CURLE_HTTP2, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR,
    ].map { Int($0.rawValue) }.reduce(into: []) { $0.insert($1) }

    /// Codes that say the request itself is unusable.
    private static let requestCodes: Set<Int> = [
        CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION,
        CURLE_NOT_BUILT_IN,
    ].map { Int($0.rawValue) }.reduce(into: []) { $0.insert($1) }

    static func isTransient(_ code: Int) -> Bool {
        transientCodes.contains(code)
    }

    /// The error for a failed `curl_easy_perform` (or a refused option) of `request`.
    static func error(_ code: CURLcode, request: OutboundRequest) -> OutboundError {
        let message = CurlRuntime.message(for: code)
        let number = Int(code.rawValue)
        let kind: OutboundError.Kind
        if code == CURLE_OPERATION_TIMEDOUT {
            kind = .timeout(limit: request.timeout, message: message)
        } else if requestCodes.contains(number) {
            kind = .invalidRequest("\(message) (curl \(number))")
        } else {
            kind = .connection(code: number, message: message)
        }
        return OutboundError(kind, method: request.method.rawValue, target: URLOrigin.redacted(request.url))
    }
}
