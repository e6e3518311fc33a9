/// Serialises JSON straight into bytes. Floating values print in Swift's shortest round-trip form; values that are
/// not finite print as `null` so that the output is always valid JSON.
///
/// The text goes into a buffer written through a pointer (`ByteBuffer`), numbers are formatted in place without an
/// intermediate `String`, and strings are copied in runs between the bytes that need escaping.
public struct JSONWriter: ~Copyable {
    var buffer: ByteBuffer

    public init(capacity: Int = 256) {
        buffer = ByteBuffer(capacity: capacity)
    }

    /// The text written so far, as a new array.
    public var bytes: [UInt8] { buffer.array }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: buffer.append("null")
        case .bool(let flag): buffer.append(flag ? "true" : "false")
        case .int(let number): writeInteger(number)
        case .double(let number): writeDouble(number)
        case .string(let text): writeString(text)
        case .array(let elements): writeArray(elements)
        case .object(let object): writeObject(object)
        }
    }

    mutating func writeArray(_ elements: [JSONValue]) {
        buffer.append(UInt8(ascii: "["))
        for index in elements.indices {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            write(elements[index])
        }
        buffer.append(UInt8(ascii: "]"))
    }

    mutating func writeObject(_ object: JSONObject) {
        buffer.append(UInt8(ascii: "{"))
        let members = object.members
        for index in members.indices {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            writeString(members[index].key)
            buffer.append(UInt8(ascii: ":"))
            write(members[index].value)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Writes an integer in decimal, as `String(number)` spells it.
    public mutating func writeInteger(_ number: Int64) {
        buffer.write(upTo: 20) { start in DecimalDigits.write(number, to: start) }
    }

    public mutating func writeDouble(_ number: Double) {
        guard number.isFinite else {
            buffer.append("null")
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            // Whole numbers keep a fraction so that consumers see a floating value, as JSON Schema "number" expects.
            writeInteger(Int64(number))
            buffer.append(".0")
            return
        }
        var fits = true
        buffer.write(upTo: ShortestDigits.capacity) { start in
            var digits = ShortestDigits(start: start)
            number.write(to: &digits)
            fits = !digits.overflowed
            return fits ? digits.count : 0
        }
        if !fits {
            var text = number.description
            text.withUTF8 { buffer.append($0) }
        }
    }

    public mutating func writeString(_ text: String) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { writeString(utf8: $0) }
        if written == nil {
            var text = text
            text.withUTF8 { writeString(utf8: $0) }
        }
    }

    /// Writes one string. A string with nothing to escape (nearly all keys and values) is checked eight bytes at a
    /// time and copied whole; otherwise the runs between the bytes that need an escape are copied.
    mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        let count = utf8.count
        guard let start = utf8.baseAddress, Self.isPlain(start, count: count) else {
            writeEscaping(utf8)
            return
        }
        buffer.reserve(count + 2)
        buffer.appendReserved(UInt8(ascii: "\""))
        buffer.appendReserved(start, count: count)
        buffer.appendReserved(UInt8(ascii: "\""))
    }

    /// Whether no byte of the string is a control byte, `"` or `\\`.
    @inline(__always) static func isPlain(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        let raw = UnsafeRawPointer(start)
        guard count >= 8 else {
            for index in 0..<count {
                let byte = start[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            }
            return true
        }
        var index = 0
        while index &+ 8 <= count {
            if anyNeedsEscape(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { return false }
            index &+= 8
        }
        // The last, partial word is checked as the final eight bytes, overlapping bytes already checked.
        return index == count || !anyNeedsEscape(raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
    }

    /// Writes a string that has bytes to escape: the runs between them are copied whole.
    mutating func writeEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        buffer.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            buffer.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            writeEscape(byte)
            runStart = index + 1
        }
        buffer.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        buffer.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is below 0x20, `"` or `\\`. Each test is the exact "some byte is
    /// less than n" / "some byte is zero" bit trick: it can misplace which byte matched, never whether one did.
    @inline(__always) static func anyNeedsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let quoteZero = (quote &- ones) & ~quote
        let backslashZero = (backslash &- ones) & ~backslash
        return (control | quoteZero | backslashZero) & highBits != 0
    }

    /// `\"`, `\\`, `\n`, `\r`, `\t`, or `\u00XX` with lower-case hexadecimal for the other control bytes.
    mutating func writeEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
        case 0x0A: buffer.append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
        default:
            buffer.append("\\u00")
            let low = byte & 0x0F
            buffer.append(
                UInt8(ascii: "0") + byte >> 4, low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
        }
    }

    /// Appends one raw byte (a separator between documents, such as NDJSON's newline).
    public mutating func append(byte: UInt8) {
        buffer.append(byte)
    }
}

extension JSONValue {
    /// The compact JSON text of this value as UTF-8 bytes.
    public func encoded() -> [UInt8] {
        // A first buffer of 4 KiB: growing from a small one cost a 4 KiB response five reallocations and copies, and
        // the buffer is freed once the text is copied out at its exact size.
        var writer = JSONWriter(capacity: 4096)
        writer.write(self)
        return writer.bytes
    }

    /// The compact JSON text of this value.
    public var jsonText: String {
        String(decoding: encoded(), as: UTF8.self)
    }
}
