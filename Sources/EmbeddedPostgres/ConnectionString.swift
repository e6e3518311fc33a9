import Foundation

/// Building libpq connection strings and SQL identifiers safely.
public enum ConnectionString {
    /// A `key=value` connection string for a unix-socket server, values quoted as libpq expects.
    public static func keywordForm(host: String, database: String, user: String = "postgres", port: Int = 5432)
        -> String
    {
        "host=\(quoted(host)) port=\(port) user=\(quoted(user)) dbname=\(quoted(database))"
    }

    /// `'value'` with backslashes and quotes escaped.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
