/// The stable, machine-readable code of an error answered to a client (`{"error":{"code":…}}`). Codes are named
/// constants declared next to the code that uses them (`ErrorCode.invalidParameter` here, the HTTP server's codes in
/// `HTTPServer`, the service's in `Service`), so that a typo cannot invent a new code.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

extension ErrorCode {
    /// A query, path or body parameter is missing, malformed or out of range.
    public static let invalidParameter = ErrorCode(rawValue: "invalid_parameter")
    /// A record of an ingest body is invalid.
    public static let invalidRecord = ErrorCode(rawValue: "invalid_record")
}
