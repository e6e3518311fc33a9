/// The one rule for identifiers (learner, item, topic, session ids and versions), wherever they come from: a path, a
/// query string or a body. An id is 1–128 Unicode scalars and holds no NUL: PostgreSQL text cannot hold NUL, and
/// libpq would cut a parameter at the first one, so that `u1%00x` would read learner `u1`'s data.
public enum Identifier {
    public static let maximumLength = 128

    /// What is wrong with `text` as an id of at most `maximumLength` scalars, or nil when it is a valid id.
    public static func problem(_ text: String, maximumLength: Int = maximumLength) -> String? {
        var length = 0
        for scalar in text.unicodeScalars {
            if scalar == "\0" { return "must not contain NUL characters" }
            length += 1
        }
        guard length >= 1 && length <= maximumLength else {
            return "must be 1 to \(maximumLength) characters, got \(length)"
        }
        return nil
    }

    public static func isValid(_ text: String) -> Bool {
        problem(text) == nil
    }
}
