/// An integer's decimal digits written in place, the same text as `String(number)`.
enum DecimalDigits {
    /// Writes `number` at `start` (at most 20 bytes) and returns how many bytes it wrote.
    static func write(_ number: Int64, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = number.magnitude
        var length = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            length += 1
        }
        var end = start
        if number < 0 {
            end.pointee = UInt8(ascii: "-")
            end += 1
        }
        end += length
        let written = end - start
        repeat {
            end -= 1
            end.pointee = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return written
    }
}

/// Receives a `Double`'s shortest round-trip text from the standard library (`Double.write(to:)`, the digits of
/// `description`) straight into the writer's buffer, where `description` would allocate a `String` for texts longer
/// than 15 bytes. The standard library hands its ASCII buffer to `_writeASCII`; `write(_:)` serves any other path.
struct ShortestDigits: TextOutputStream {
    /// Room reserved for the text; a finite `Double` needs at most 24 bytes (`-2.2250738585072014e-308`).
    static let capacity = 32

    let start: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    /// Set when the text would not fit; the caller then falls back to `description`.
    private(set) var overflowed = false

    init(start: UnsafeMutablePointer<UInt8>) { self.start = start }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        append(buffer)
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !overflowed else { return }
        guard count + buffer.count <= Self.capacity else {
            overflowed = true
            return
        }
        (start + count).update(from: source, count: buffer.count)
        count += buffer.count
    }
}
