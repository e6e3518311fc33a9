/// A client's mistake in one field: which field, what is wrong with it (a message that names the field) and the
/// error code it is answered with. The single error type of `FieldReader`, whatever the values came from.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's name as the client sent it (for an element of a list, the list's name).
    public var field: String
    public var message: String
    public var code: ErrorCode

    public init(field: String, message: String, code: ErrorCode = .invalidParameter) {
        self.field = field
        self.message = message
        self.code = code
    }

    public var description: String { message }
}
