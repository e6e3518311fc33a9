import Fields
import HTTPServer
import UTCTime

/// Typed query parameters read with the shared field rules (`FieldReader`); a bad value is a 400
/// `invalid_parameter` that names the parameter (`field` in the error object). A parameter is given at most once and
/// never empty: `?status=` or `?limit=1&limit=2` is a 400 naming it, so that no reader has to guess which value
/// counts and a value the client meant is never silently replaced by the default.
struct QueryReader {
    let fields: FieldReader

    init(_ request: HTTPRequest) {
        fields = FieldReader(.text(request.query.pairs))
    }

    /// Runs a read of `name`, turning its `FieldError` into a 400.
    func read<Value>(_ name: String, _ body: (FieldReader) throws(FieldError) -> Value) throws(HTTPError) -> Value {
        do throws(FieldError) {
            try single(name)
            return try body(fields)
        } catch {
            throw HTTPError(error)
        }
    }

    /// Refuses a parameter given more than once or with an empty value.
    func single(_ name: String) throws(FieldError) {
        guard case .text(let pairs) = fields.source else { return }
        let values = pairs.filter { $0.name == name }.map(\.value)
        guard values.count <= 1 else { throw fields.failure(name, "is given \(values.count) times; give it once") }
        if values.first?.isEmpty == true { throw fields.failure(name, "is empty; leave it out for the default") }
    }

    func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(HTTPError) -> Int {
        try read(name) { fields throws(FieldError) in try fields.int(name, default: fallback, range: range) }
    }

    /// An integer clamped into `range` (for parameters the old API clamped instead of refusing).
    func clampedInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(HTTPError) -> Int {
        try read(name) { fields throws(FieldError) in try fields.clampedInt(name, default: fallback, range: range) }
    }

    func day(_ name: String) throws(HTTPError) -> Day? {
        try read(name) { fields throws(FieldError) in try fields.day(name) }
    }

    /// A week's Monday, or nil when absent.
    func weekStart(_ name: String) throws(HTTPError) -> Day? {
        try read(name) { fields throws(FieldError) in try fields.weekStart(name) }
    }

    func bool(_ name: String, default fallback: Bool) throws(HTTPError) -> Bool {
        try read(name) { fields throws(FieldError) in try fields.bool(name, default: fallback) }
    }

    func oneOf(_ name: String, _ allowed: [String]) throws(HTTPError) -> String? {
        try read(name) { fields throws(FieldError) in try fields.oneOf(name, allowed) }
    }

    /// An id (1–128 characters, no NUL), or nil when absent.
    func identifier(_ name: String) throws(HTTPError) -> String? {
        try read(name) { fields throws(FieldError) in try fields.identifier(name) }
    }

    func requiredIdentifier(_ name: String) throws(HTTPError) -> String {
        try read(name) { fields throws(FieldError) in try fields.requiredIdentifier(name) }
    }

    /// The decoded parts of an opaque paging cursor; one this API did not return is a 400 `invalid_cursor` naming
    /// `cursor`.
    func cursor(parts: Int) throws(HTTPError) -> [String]? {
        do throws(FieldError) { try single("cursor") } catch { throw HTTPError(error) }
        guard case .text(let text)? = fields.value("cursor") else { return nil }
        guard let decoded = Cursor.decode(text), decoded.count == parts else { throw Self.invalidCursor }
        return decoded
    }

    /// A cursor whose parts have the wrong form (a checksummed cursor of another route).
    static var invalidCursor: HTTPError {
        HTTPError(
            FieldError(field: "cursor", message: "cursor is not a cursor this API returned", code: .invalidCursor))
    }
}
