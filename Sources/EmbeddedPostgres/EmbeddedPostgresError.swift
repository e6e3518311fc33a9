/// Why the embedded cluster could not be prepared or started; the message is one line an operator can act on.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
