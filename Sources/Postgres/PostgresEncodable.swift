import JSON
import UTCTime

/// One bound parameter: its bytes (nil for NULL), wire format and type OID (0 lets the server infer the type).
public struct PostgresParameter: Sendable, Equatable {
    public var bytes: [UInt8]?
    public var isBinary: Bool
    public var oid: UInt32

    public init(bytes: [UInt8]?, isBinary: Bool = false, oid: UInt32 = 0) {
        self.bytes = bytes
        self.isBinary = isBinary
        self.oid = oid
    }

    public static let null = PostgresParameter(bytes: nil)

    /// A value in PostgreSQL's text input format.
    public static func text(_ text: String, oid: UInt32 = 0) -> PostgresParameter {
        PostgresParameter(bytes: Array(text.utf8), oid: oid)
    }
}

/// A Swift value that can be sent as a parameter. Values always travel separately from SQL text.
public protocol PostgresEncodable: Sendable {
    var postgresParameter: PostgresParameter { get }
}

extension String: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(self, oid: PostgresType.text) }
}

extension Int: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(String(self), oid: PostgresType.int8) }
}

extension Int64: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(String(self), oid: PostgresType.int8) }
}

extension Int32: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(String(self), oid: PostgresType.int4) }
}

extension Double: PostgresEncodable {
    /// Non-finite values are sent as PostgreSQL's spellings, which float8 accepts.
    public var postgresParameter: PostgresParameter {
        if isNaN { return .text("NaN", oid: PostgresType.float8) }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity", oid: PostgresType.float8) }
        return .text(description, oid: PostgresType.float8)
    }
}

extension Bool: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(self ? "t" : "f", oid: PostgresType.bool) }
}

extension Timestamp: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(rfc3339, oid: PostgresType.timestamptz) }
}

extension Day: PostgresEncodable {
    public var postgresParameter: PostgresParameter { .text(iso, oid: PostgresType.date) }
}

extension JSONValue: PostgresEncodable {
    public var postgresParameter: PostgresParameter { PostgresParameter(bytes: encoded(), oid: PostgresType.jsonb) }
}

/// Binary data, sent as `bytea`.
public struct ByteArray: PostgresEncodable, Equatable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var postgresParameter: PostgresParameter {
        PostgresParameter(bytes: bytes, isBinary: true, oid: PostgresType.bytea)
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresParameter: PostgresParameter {
        switch self {
        case .some(let value): return value.postgresParameter
        case .none: return .null
        }
    }
}

extension Array: PostgresEncodable where Element == String {
    /// A `text[]` in array literal syntax, every element quoted and escaped.
    public var postgresParameter: PostgresParameter {
        var literal = "{"
        for (index, element) in enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        literal += "}"
        return .text(literal, oid: PostgresType.textArray)
    }
}

/// The type OIDs the client knows (from `pg_type`).
public enum PostgresType {
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let unknown: UInt32 = 705
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let date: UInt32 = 1082
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let jsonb: UInt32 = 3802
    public static let textArray: UInt32 = 1009
}
