/// A failure talking to PostgreSQL. `description` is deliberately generic (kind and SQLSTATE only) so that it can
/// never leak SQL, parameters or credentials; `debugDescription` carries the server's message for logs.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: String, Sendable {
        /// Connecting failed or the connection broke.
        case connection
        /// The server rejected a statement.
        case query
        /// No pooled connection became free in time.
        case poolExhausted
        /// The server did not answer within the caller's deadline (connecting or a statement); the connection was
        /// closed, since it may still be waiting for the answer.
        case timeout
        /// A value could not be decoded into the requested type.
        case decoding
        /// The client was used wrongly (for example a cursor outside a transaction).
        case usage
    }

    public var kind: Kind
    /// The five-character SQLSTATE when the server sent one (`23505`, `40P01` …).
    public var sqlState: String?
    /// The server's or libpq's message, for logs only.
    public var message: String

    public init(_ kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        "PostgreSQL \(kind.rawValue) error" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }

    public var debugDescription: String { "\(description): \(message)" }

    /// Whether the failure means the connection is unusable (broken socket, server shutdown, cannot connect).
    public var isConnectionFailure: Bool {
        kind == .connection || kind == .timeout || sqlState?.hasPrefix("08") == true || sqlState == "57P01"
            || sqlState == "57P02"
            || sqlState == "57P03"
    }

    /// A unique, foreign-key, check or not-null violation (class 23).
    public var isIntegrityViolation: Bool { sqlState?.hasPrefix("23") == true }
}
