import Logging

/// One setting of the service: its command-line flag and environment variable, the values it accepts, its default and
/// what it means. `ServiceConfiguration.settings` lists every setting once; flags and the environment are checked by
/// the same `apply`, and the help of `serve` and the README's table are written from the same rows.
public struct Setting: Sendable {
    /// The values a setting accepts.
    public enum Values: Sendable, Equatable {
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        /// Any non-empty text.
        case text
        /// Text of at least this many characters.
        case secret(minimumLength: Int)
        /// An `http://` or `https://` URL.
        case url
        case logLevel
        /// A flag without a value (command line only).
        case onOff
    }

    /// The long flag without its dashes (`db-pool-size`), or nil when only the environment sets it.
    public let flag: String?
    /// The environment variable, or nil when only a flag sets it.
    public let environment: String?
    public let values: Values
    /// The default as documented; taken from `ServiceConfiguration()` unless the default is computed at start-up.
    public let defaultValue: String
    public let meaning: String
    /// Stores a value already checked against `values`.
    let store: @Sendable (inout ServiceConfiguration, ParsedValue) -> Void
    /// The value in a configuration, written as `defaultValue` is (nil for settings without one).
    let current: @Sendable (ServiceConfiguration) -> String?

    /// A value after parsing, of the kind `values` says.
    enum ParsedValue {
        case integer(Int)
        case number(Double)
        case text(String)
        case logLevel(Logger.Level)
        case on
    }

    /// The accepted values as the README and the help show them: `1…512`, `http(s) URL`.
    public var range: String {
        switch values {
        case .integer(let range): "\(range.lowerBound)…\(range.upperBound)"
        case .number(let range): "\(Self.format(range.lowerBound))…\(Self.format(range.upperBound))"
        case .text: "text"
        case .secret(let minimumLength): "\(minimumLength)+ characters"
        case .url: "http(s) URL"
        case .logLevel: Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        case .onOff: "flag"
        }
    }

    /// The text of `serve --help` for this setting's flag.
    public var help: String {
        var parts: [String] = []
        if let environment { parts.append("$\(environment)") }
        if values != .onOff { parts.append("default \(defaultValue)") }
        switch values {
        case .integer, .number, .secret, .logLevel: parts.append(range)
        default: break
        }
        return parts.isEmpty ? meaning : "\(meaning) (\(parts.joined(separator: "; ")))."
    }

    /// Checks `text`, given as `source` (`--port` or `PORT`), and stores it in `configuration`.
    func apply(_ text: String, from source: String, to configuration: inout ServiceConfiguration)
        throws(ConfigurationError)
    {
        store(&configuration, try parse(text, from: source))
    }

    func parse(_ text: String, from source: String) throws(ConfigurationError) -> ParsedValue {
        switch values {
        case .integer(let range):
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError("\(source) must be an integer in \(self.range), got '\(text)'")
            }
            return .integer(value)
        case .number(let range):
            guard let value = Double(text), range.contains(value) else {
                throw ConfigurationError("\(source) must be a number in \(self.range), got '\(text)'")
            }
            return .number(value)
        case .text:
            return .text(text)
        case .secret(let minimumLength):
            guard text.utf8.count >= minimumLength else {
                throw ConfigurationError("\(source) must be at least \(minimumLength) characters")
            }
            return .text(text)
        case .url:
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                throw ConfigurationError("\(source) must be an http:// or https:// URL, got '\(text)'")
            }
            return .text(text)
        case .logLevel:
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError("\(source) must be one of \(range), got '\(text)'")
            }
            return .logLevel(level)
        case .onOff:
            return .on
        }
    }

    /// `5` rather than `5.0`, `0.01` as it is.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
