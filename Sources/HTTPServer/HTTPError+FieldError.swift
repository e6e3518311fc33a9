import Fields
import JSON

extension HTTPError {
    /// A 400 for a bad field: its code and message, and the field's name as `field` in the error object.
    public init(_ error: FieldError) {
        self.init(.badRequest, code: error.code, message: error.message, details: ["field": .string(error.field)])
    }
}
