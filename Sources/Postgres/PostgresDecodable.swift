import JSON
import UTCTime

/// A Swift type that a column value can be decoded into from PostgreSQL's binary format.
public protocol PostgresDecodable {
    static func decode(_ cell: PostgresCell) throws(PostgresError) -> Self
}

/// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
@usableFromInline let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
let postgresEpochDays = 10_957

extension UnsafeRawBufferPointer {
    /// A big-endian integer at `offset`.
    func bigEndian<Integer: FixedWidthInteger>(_ type: Integer.Type, at offset: Int = 0) -> Integer {
        var value: Integer = 0
        Swift.withUnsafeMutableBytes(of: &value) { target in
            target.copyMemory(
                from: UnsafeRawBufferPointer(rebasing: self[offset..<offset + MemoryLayout<Integer>.size]))
        }
        return Integer(bigEndian: value)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Int64 {
        guard let bytes = cell.bytes else { throw cell.mismatch("an integer") }
        switch (cell.oid, bytes.count) {
        case (PostgresType.int8, 8): return bytes.bigEndian(Int64.self)
        case (PostgresType.int4, 4): return Int64(bytes.bigEndian(Int32.self))
        case (PostgresType.int2, 2): return Int64(bytes.bigEndian(Int16.self))
        case (PostgresType.oid, 4): return Int64(bytes.bigEndian(UInt32.self))
        case (PostgresType.numeric, _):
            let value = try NumericDecoder.decode(bytes, cell: cell)
            guard value == value.rounded(), abs(value) < 9e18 else { throw cell.mismatch("an integer") }
            return Int64(value)
        default: throw cell.mismatch("an integer")
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Int {
        Int(try Int64.decode(cell))
    }
}

extension Double: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Double {
        guard let bytes = cell.bytes else { throw cell.mismatch("a number") }
        switch (cell.oid, bytes.count) {
        case (PostgresType.float8, 8): return Double(bitPattern: bytes.bigEndian(UInt64.self))
        case (PostgresType.float4, 4): return Double(Float(bitPattern: bytes.bigEndian(UInt32.self)))
        case (PostgresType.numeric, _): return try NumericDecoder.decode(bytes, cell: cell)
        case (PostgresType.int8, _), (PostgresType.int4, _), (PostgresType.int2, _):
            return Double(try Int64.decode(cell))
        default: throw cell.mismatch("a number")
        }
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Bool {
        guard let bytes = cell.bytes, cell.oid == PostgresType.bool, bytes.count == 1 else {
            throw cell.mismatch("a boolean")
        }
        return bytes[0] != 0
    }
}

extension String: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> String {
        guard let bytes = cell.bytes else { throw cell.mismatch("text") }
        switch cell.oid {
        case PostgresType.text, PostgresType.varchar, PostgresType.name, PostgresType.bpchar, PostgresType.unknown,
            PostgresType.json:
            return String(decoding: bytes, as: UTF8.self)
        case PostgresType.jsonb:
            guard bytes.count >= 1, bytes[0] == 1 else { throw cell.mismatch("jsonb version 1") }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[1...]), as: UTF8.self)
        default:
            throw cell.mismatch("text")
        }
    }
}

extension JSONValue: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> JSONValue {
        guard cell.oid == PostgresType.json || cell.oid == PostgresType.jsonb else { throw cell.mismatch("json") }
        let text = try String.decode(cell)
        do {
            return try JSONParser.parse(text)
        } catch {
            throw PostgresError(.decoding, message: "column holds invalid JSON: \(error)")
        }
    }
}

extension ByteArray: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> ByteArray {
        guard let bytes = cell.bytes, cell.oid == PostgresType.bytea else { throw cell.mismatch("bytea") }
        return ByteArray(Array(bytes))
    }
}

extension Timestamp: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Timestamp {
        guard let bytes = cell.bytes, cell.oid == PostgresType.timestamptz || cell.oid == PostgresType.timestamp,
            bytes.count == 8
        else { throw cell.mismatch("a timestamp") }
        return Timestamp(microseconds: bytes.bigEndian(Int64.self) + postgresEpochMicroseconds)
    }
}

extension Day: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Day {
        guard let bytes = cell.bytes, cell.oid == PostgresType.date, bytes.count == 4 else {
            throw cell.mismatch("a date")
        }
        return Day(daysSinceEpoch: Int(bytes.bigEndian(Int32.self)) + postgresEpochDays)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws(PostgresError) -> Wrapped? {
        guard cell.bytes != nil else { return nil }
        return try Wrapped.decode(cell)
    }
}

/// PostgreSQL's binary `numeric`: a sign, a base-10000 weight and base-10000 digits.
enum NumericDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, cell: PostgresCell) throws(PostgresError) -> Double {
        guard bytes.count >= 8 else { throw cell.mismatch("numeric") }
        let digitCount = Int(bytes.bigEndian(Int16.self, at: 0))
        let weight = Int(bytes.bigEndian(Int16.self, at: 2))
        let sign = bytes.bigEndian(UInt16.self, at: 4)
        guard bytes.count == 8 + 2 * digitCount else { throw cell.mismatch("numeric") }
        if sign == 0xC000 { return .nan }
        if sign == 0xD000 { return .infinity }
        if sign == 0xF000 { return -.infinity }
        var value = 0.0
        for index in 0..<digitCount {
            let digit = Double(bytes.bigEndian(Int16.self, at: 8 + 2 * index))
            value += digit * pow10000(weight - index)
        }
        return sign == 0x4000 ? -value : value
    }

    static func pow10000(_ exponent: Int) -> Double {
        var result = 1.0
        if exponent >= 0 {
            for _ in 0..<exponent { result *= 10_000 }
        } else {
            for _ in 0..<(-exponent) { result /= 10_000 }
        }
        return result
    }
}
