/// A bad run parameter: the field and what is wrong with it (answered 400).
public struct ParameterError: Error, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
