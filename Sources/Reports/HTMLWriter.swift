/// The page under construction: a UTF-8 byte buffer with appenders for markup, escaped data text, numbers and dates.
///
/// Markup comes from `StaticString` literals (copied without checks); anything from data goes through `text(_:)`.
struct HTMLWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends trusted markup.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends text from data, HTML-escaped.
    mutating func text(_ text: String) {
        HTMLEscaping.append(text, to: &bytes)
    }

    /// Appends an integer.
    mutating func int(_ value: Int) {
        FixedDecimal.append(value, to: &bytes)
    }

    /// Appends a number for people to read, with `decimals` places and a typographic minus.
    mutating func number(_ value: Double, decimals: Int, plus: Bool = false) {
        FixedDecimal.append(value, decimals: decimals, plus: plus, to: &bytes)
    }

    /// Appends an SVG coordinate or length: one decimal, `.0` dropped, ASCII minus.
    mutating func coord(_ value: Double) {
        FixedDecimal.append(value, decimals: 1, minus: .ascii, trim: true, to: &bytes)
    }

    /// Appends `x y`, as SVG path data and `points` lists take them.
    mutating func point(_ x: Double, _ y: Double) {
        coord(x)
        bytes.append(UInt8(ascii: " "))
        coord(y)
    }

    /// Appends a KPI value as the report shows it (see `KPI.format(_:)`).
    mutating func kpiValue(_ value: Double?, of kpi: KPI) {
        guard let value, value.isFinite else {
            raw("not enough data yet")
            return
        }
        if kpi.isPercentage {
            percent(value)
        } else {
            number(value, decimals: 2, plus: true)
        }
    }

    /// Appends a share as a whole percentage (`72%`), or "not enough data yet" when it is missing.
    mutating func percent(_ share: Double?) {
        guard let share, share.isFinite else {
            raw("not enough data yet")
            return
        }
        number(share * 100, decimals: 0)
        raw("%")
    }
}
