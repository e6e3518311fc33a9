/// Serialises JSON straight into bytes. Floating values print in Swift's shortest round-trip form; values that are
/// not finite print as `null` so that the output is always valid JSON.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    public mutating func writeDouble(_ number: Double) {
        guard number.isFinite else {
            append("null")
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            // Whole numbers keep a fraction so that consumers see a floating value, as JSON Schema "number" expects.
            append(String(Int64(number)))
            append(".0")
            return
        }
        append(number.description)
    }

    public mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Scanning and copying the contiguous UTF-8 costs a few instructions a byte; going through `String.UTF8View`
        // with `contains(where:)` cost about 25 and was a fifth of a 4 KiB JSON response's time.
        var text = text
        let plain = text.withUTF8 { buffer in
            for byte in buffer where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            bytes.append(contentsOf: buffer)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x00..<0x20:
                append("\\u00")
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends one raw byte (a separator between documents, such as NDJSON's newline).
    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension JSONValue {
    /// The compact JSON text of this value as UTF-8 bytes.
    public func encoded() -> [UInt8] {
        // Growing from a small buffer cost a 4 KiB response about 14k instructions (five reallocations and copies);
        // a larger first buffer costs a small document nothing extra but the unused memory while it is written.
        var writer = JSONWriter(capacity: 4096)
        writer.write(self)
        return writer.bytes
    }

    /// The compact JSON text of this value.
    public var jsonText: String {
        String(decoding: encoded(), as: UTF8.self)
    }
}
