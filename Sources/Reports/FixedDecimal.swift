/// Fixed-decimal number formatting without Foundation: locale-free, deterministic and allocation-free when appending
/// to a buffer. Values are rounded half away from zero; magnitudes are capped at 10^15 so garbage input can never trap.
enum FixedDecimal {
    /// The minus sign to write: ASCII for SVG coordinates, U+2212 MINUS SIGN for text people read.
    enum Minus {
        case ascii
        case typographic
    }

    private static let scales: [Double] = [1, 10, 100, 1000, 10_000]
    private static let largest = 1e15

    /// Appends `value` with `decimals` (0...4) places. `plus` writes a `+` before positive values; `trim` drops an
    /// all-zero fraction (`12` instead of `12.0`). A value that rounds to zero is written without a sign. NaN is
    /// written as `0`: callers filter missing values before drawing, this only keeps the output well-formed.
    static func append(
        _ value: Double, decimals: Int, plus: Bool = false, minus: Minus = .typographic, trim: Bool = false,
        to bytes: inout [UInt8]
    ) {
        let places = max(0, min(decimals, scales.count - 1))
        let scale = scales[places]
        var magnitude = (value.magnitude * scale).rounded()
        if value.isNaN {
            magnitude = 0
        } else if !(magnitude < largest) {
            magnitude = largest
        }
        let units = UInt64(magnitude)
        if units != 0 {
            if value < 0 {
                switch minus {
                case .ascii: bytes.append(UInt8(ascii: "-"))
                case .typographic: bytes.append(contentsOf: [0xE2, 0x88, 0x92])
                }
            } else if plus {
                bytes.append(UInt8(ascii: "+"))
            }
        }
        let divisor = UInt64(scale)
        appendDigits(units / divisor, width: 1, to: &bytes)
        let fraction = units % divisor
        if places > 0 && !(trim && fraction == 0) {
            bytes.append(UInt8(ascii: "."))
            appendDigits(fraction, width: places, to: &bytes)
        }
    }

    /// `value` formatted as by `append(_:decimals:plus:minus:trim:to:)`.
    static func string(_ value: Double, decimals: Int, plus: Bool = false) -> String {
        var bytes: [UInt8] = []
        append(value, decimals: decimals, plus: plus, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a signed integer in decimal.
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude), width: 1, to: &bytes)
    }

    /// Appends `value` in decimal, left-padded with zeros to at least `width` (at most 20) digits. The digits are
    /// built on the stack and appended at once.
    static func appendDigits(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        let capacity = 24
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var index = capacity
            var rest = value
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            while capacity - index < min(width, 20) {
                index -= 1
                buffer[index] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index...]))
        }
    }
}
