import JSON

/// Typed, validated access to named fields, with one set of rules and messages for every source: query strings and
/// path parameters (text), run parameters, request bodies and ingest records (JSON). Every failure is a
/// `FieldError` whose message names the field ("weeks must be at most 12, got '13'"; in a record,
/// `record 3 (line 5): field "hints" must be ≥ 0, got -1`).
///
/// A missing field, a JSON `null` and an empty text value all count as absent. Reads with a `default:` return a
/// value, never an optional; `required…` reads refuse an absent field.
public struct FieldReader: Sendable {
    /// Where the values come from.
    public enum Source: Sendable {
        /// A JSON object's members.
        case json(JSONObject)
        /// `name=value` pairs (a query string or path parameters); the first pair of a name counts.
        case text([(name: String, value: String)])
    }

    public let source: Source
    /// Where the fields sit, for messages: "record 3 (line 5)" for an ingest record, nil for parameters.
    public var position: String?
    /// Put before every field name, for the members of a nested object ("responses[2].").
    public var prefix: String
    /// The code of every error this reader throws.
    public var code: ErrorCode

    public init(_ source: Source, position: String? = nil, prefix: String = "", code: ErrorCode = .invalidParameter) {
        self.source = source
        self.position = position
        self.prefix = prefix
        self.code = code
    }

    /// Reads a JSON object's members.
    public init(
        json object: JSONObject, position: String? = nil, prefix: String = "", code: ErrorCode = .invalidParameter
    ) {
        self.init(.json(object), position: position, prefix: prefix, code: code)
    }

    /// Reads text values such as path parameters.
    public init(text values: [String: String], code: ErrorCode = .invalidParameter) {
        self.init(.text(values.map { (name: $0.key, value: $0.value) }), code: code)
    }

    /// The names present, in order.
    public var names: [String] {
        switch source {
        case .json(let object): return object.keys
        case .text(let pairs): return pairs.map(\.name)
        }
    }

    /// A field's value; nil when it is missing, JSON `null` or empty text.
    public func value(_ name: String) -> FieldValue? {
        switch source {
        case .json(let object):
            guard let value = object[name], !value.isNull else { return nil }
            return .json(value)
        case .text(let pairs):
            guard let value = pairs.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
            return .text(value)
        }
    }

    /// Whether the field is present as a JSON `null` (which `value(_:)` reads as absent), for fields that are not
    /// nullable.
    public func isNull(_ name: String) -> Bool {
        guard case .json(let object) = source else { return false }
        return object[name]?.isNull == true
    }

    /// Refuses the first member sent as JSON `null`, for objects none of whose fields is nullable: a `null` would
    /// otherwise read as absent and silently become the default.
    public func rejectNulls() throws(FieldError) {
        if let null = names.first(where: isNull) {
            throw failure(null, "must not be null; leave it out for the default")
        }
    }

    /// How messages name a field: `lookback_days`, `responses[2].item_id` or `record 3: field "hints"`.
    public func label(_ name: String) -> String {
        guard let position else { return prefix + name }
        return "\(position): field \"\(prefix + name)\""
    }

    /// The error for a field with a problem, such as "must be a Monday, got 2026-11-24".
    public func failure(_ name: String, _ problem: String) -> FieldError {
        FieldError(field: prefix + name, message: label(name) + " " + problem, code: code)
    }

    /// The error for a required field that is absent.
    public func missing(_ name: String) -> FieldError {
        failure(name, "is required")
    }

    /// Refuses the first field outside `known` (which catches typos such as `respone_time_ms`).
    public func rejectUnknown(_ known: some Collection<String>) throws(FieldError) {
        guard let unknown = names.first(where: { !known.contains($0) }) else { return }
        let place = position.map { "\($0): " } ?? ""
        throw FieldError(
            field: prefix + unknown,
            message:
                "\(place)unknown field \"\(prefix + unknown)\" (expected \(known.sorted().joined(separator: ", ")))",
            code: code)
    }
}
