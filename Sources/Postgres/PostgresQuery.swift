/// One SQL statement with its parameters, built so that values cannot be spliced into the SQL text.
///
/// Written as a string literal, every interpolated value becomes a bound parameter (`$1`, `$2` …) that travels
/// separately from the text:
///
///     let query: PostgresQuery = "SELECT theta FROM mirt_ability WHERE user_id = \(user) LIMIT \(limit)"
///     // sql: "SELECT theta FROM mirt_ability WHERE user_id = $1 LIMIT $2", binds: [user, limit]
///
/// A query may be interpolated into another: its SQL is appended and its placeholders renumbered after the binds
/// already there, so reusable fragments (a column list, a FROM clause) are queries too. Raw text needs the explicit
/// `\(unsafeSQL: …)` (or `\(identifier: …)` for a quoted name), and a `String` variable is not a query: code that
/// builds SQL by splicing strings no longer compiles.
public struct PostgresQuery: Sendable, Equatable {
    /// The statement's text, with `$n` placeholders.
    public private(set) var sql: String
    /// The parameters, in placeholder order: `binds[0]` is `$1`.
    public private(set) var binds: [PostgresParameter]
    /// Where in `sql` (UTF-8 offsets) each placeholder this query wrote lies; placeholder `k` is `$(k + 1)` and stands
    /// for `binds[k]`. Kept so that the query can be renumbered as a fragment or rendered with literals for COPY.
    private(set) var placeholders: [Range<Int>]

    /// Raw SQL text without parameters. The caller vouches that `sql` holds no value from outside (it is a constant
    /// of this program, such as a compiled-in migration) and no `$n` placeholder.
    public init(unsafeSQL sql: String) {
        self.sql = sql
        binds = []
        placeholders = []
    }

    /// Appends raw text (see `init(unsafeSQL:)` for what the caller vouches for).
    mutating func append(unsafeSQL text: String) {
        sql += text
    }

    /// Appends `value` as the next parameter.
    mutating func append(bind value: PostgresParameter) {
        binds.append(value)
        let start = sql.utf8.count
        sql += "$"
        sql += String(binds.count)
        placeholders.append(start..<sql.utf8.count)
    }

    /// Appends `fragment`'s text with its placeholders renumbered to follow this query's binds.
    mutating func append(_ fragment: PostgresQuery) {
        guard !fragment.binds.isEmpty else {
            sql += fragment.sql
            return
        }
        fragment.withTextSegments { text, bind in
            sql += text
            if let bind { append(bind: fragment.binds[bind]) }
        }
    }

    /// Calls `body` with each run of text between placeholders, in order; after a run that a placeholder follows, the
    /// placeholder's bind index comes with it (nil after the last run).
    func withTextSegments<Failure: Error>(_ body: (Substring, Int?) throws(Failure) -> Void) throws(Failure) {
        let utf8 = sql.utf8
        var position = utf8.startIndex
        for (index, range) in placeholders.enumerated() {
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            try body(sql[position..<start], index)
            position = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        }
        try body(sql[position...], nil)
    }
}

extension PostgresQuery: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.query
    }

    /// Builds a query from a literal's pieces: text is SQL, interpolations are parameters unless labelled.
    public struct StringInterpolation: StringInterpolationProtocol {
        var query: PostgresQuery

        public init(literalCapacity: Int, interpolationCount: Int) {
            query = PostgresQuery(unsafeSQL: "")
            query.sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
            query.binds.reserveCapacity(interpolationCount)
            query.placeholders.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            query.append(unsafeSQL: literal)
        }

        /// A value, bound as the next parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            query.append(bind: value.postgresParameter)
        }

        /// An optional value, bound as the next parameter; `nil` binds NULL. (Its own overload, so that the compiler
        /// does not mistake it for an optional spliced into text.)
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            query.append(bind: value.postgresParameter)
        }

        /// Another query: its text appended, its parameters renumbered after those before it.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            query.append(fragment)
        }

        /// Raw SQL text, inserted as it is. Only for text this program wrote (a constant, a number it computed);
        /// never for anything that came from outside.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            query.append(unsafeSQL: text)
        }

        /// A name (table, channel, database) as a quoted identifier, with embedded quotes doubled.
        public mutating func appendInterpolation(identifier name: String) {
            query.append(unsafeSQL: PostgresQuery.quotedIdentifier(name))
        }
    }

    /// `name` as a double-quoted identifier.
    public static func quotedIdentifier(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            if character == "\"" { quoted += "\"" }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

extension PostgresQuery: CustomStringConvertible, CustomDebugStringConvertible {
    /// The SQL text only: parameter values may be personal data and stay out of logs.
    public var description: String { sql }

    public var debugDescription: String { "PostgresQuery(sql: \(sql.debugDescription), binds: \(binds.count))" }
}
