import Fields

/// The codes of the errors the HTTP server itself answers: malformed requests, limits and timeouts.
extension ErrorCode {
    public static let badRequest = ErrorCode(rawValue: "bad_request")
    public static let malformedRequest = ErrorCode(rawValue: "malformed_request")
    public static let notFound = ErrorCode(rawValue: "not_found")
    public static let methodNotAllowed = ErrorCode(rawValue: "method_not_allowed")
    public static let methodNotImplemented = ErrorCode(rawValue: "method_not_implemented")
    public static let versionNotSupported = ErrorCode(rawValue: "version_not_supported")
    public static let badHost = ErrorCode(rawValue: "bad_host")
    /// A request carried more than one Authorization header.
    public static let duplicateAuthorization = ErrorCode(rawValue: "duplicate_authorization")
    public static let badExpect = ErrorCode(rawValue: "bad_expect")
    public static let badFraming = ErrorCode(rawValue: "bad_framing")
    public static let badContentLength = ErrorCode(rawValue: "bad_content_length")
    public static let badChunk = ErrorCode(rawValue: "bad_chunk")
    public static let badContentEncoding = ErrorCode(rawValue: "bad_content_encoding")
    public static let unsupportedContentEncoding = ErrorCode(rawValue: "unsupported_content_encoding")
    public static let transferCodingNotImplemented = ErrorCode(rawValue: "transfer_coding_not_implemented")
    public static let headersTooLarge = ErrorCode(rawValue: "headers_too_large")
    public static let bodyTooLarge = ErrorCode(rawValue: "body_too_large")
    public static let requestTimeout = ErrorCode(rawValue: "request_timeout")
    public static let tooManyConnections = ErrorCode(rawValue: "too_many_connections")
    public static let internalError = ErrorCode(rawValue: "internal_error")
    /// The worker queue is full: the request was refused before it started; retry shortly.
    public static let overloaded = ErrorCode(rawValue: "overloaded")
}
