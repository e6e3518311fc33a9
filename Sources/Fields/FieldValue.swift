import JSON

/// A field's value as it arrived: text from a query string or path, or a JSON value from a body. The reader's rules
/// apply to both; only the conversions differ (text "7" is an integer, JSON "7" is a string).
public enum FieldValue: Sendable, Equatable {
    case text(String)
    case json(JSONValue)

    /// The value as messages quote it: text in single quotes, JSON as JSON text; cut after 64 characters.
    public var shown: String {
        let full: String
        switch self {
        case .text(let text): full = "'" + text + "'"
        case .json(let value): full = value.jsonText
        }
        guard full.unicodeScalars.count > Self.shownLength else { return full }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: full.unicodeScalars.prefix(Self.shownLength))
        return String(cut) + "…"
    }

    static let shownLength = 64

    public var string: String? {
        switch self {
        case .text(let text): return text
        case .json(let value): return value.stringValue
        }
    }

    public var integer: Int? {
        switch self {
        case .text(let text): return Int(text)
        case .json(let value): return value.intValue.flatMap { Int(exactly: $0) }
        }
    }

    /// Text accepts true/false, 1/0 and yes/no in any case; JSON only its booleans.
    public var bool: Bool? {
        switch self {
        case .text(let text):
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        case .json(let value): return value.boolValue
        }
    }

    /// A finite number.
    public var number: Double? {
        let number: Double?
        switch self {
        case .text(let text): number = Double(text)
        case .json(let value): number = value.doubleValue
        }
        guard let number, number.isFinite else { return nil }
        return number
    }

    /// The elements of a JSON array (text has no lists).
    public var elements: [FieldValue]? {
        guard case .json(let value) = self, let array = value.arrayValue else { return nil }
        return array.map(FieldValue.json)
    }

    /// The members of a JSON object.
    public var object: JSONObject? {
        guard case .json(let value) = self else { return nil }
        return value.objectValue
    }
}
