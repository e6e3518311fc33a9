import UTCTime

/// The small line of a KPI's recent weeks in the KPI table.
///
/// Weeks with a value are joined by a line; a missing week breaks the line and is never drawn as 0. A week with a value
/// but no neighbour is a dot, and the current week gets a larger dot. The vertical scale fits the values but spans at
/// least `minimumSpan` of the KPI's range, so that week-to-week noise does not look like a trend.
enum Sparkline {
    static let width = 80
    static let height = 24
    static let inset = 3.0
    /// The smallest vertical span, as a share of the KPI's range.
    static let minimumSpan = 0.2

    /// Writes the sparkline of `row` over `weeks` (aligned with `row.history`), or "not enough data yet" when no week
    /// has a value. `id` makes the chart's title and description ids unique in the page.
    static func write(_ row: KPIRow, weeks: [Day], id: String, into writer: inout HTMLWriter) {
        let values = row.history
        guard values.contains(where: { $0 != nil }) else {
            writer.raw("<span class=\"na\">not enough data yet</span>")
            return
        }
        writer.openChart(class: "sp", width: width, height: height, id: id)
        writer.text(row.kpi.title)
        writer.raw(", last ")
        writer.int(values.count)
        writer.raw(values.count == 1 ? " week" : " weeks")
        writer.beginDescription(id: id)
        for (index, value) in values.enumerated() {
            if index > 0 { writer.raw("; ") }
            writer.raw("week of ")
            if index < weeks.count { writer.iso(weeks[index]) }
            writer.raw(": ")
            writer.kpiValue(value, of: row.kpi)
        }
        writer.endDescription()

        let (low, high) = domain(values, kpi: row.kpi)
        let plotWidth = Double(width) - 2 * inset
        let plotHeight = Double(height) - 2 * inset
        func x(_ index: Int) -> Double {
            values.count > 1 ? inset + Double(index) * plotWidth / Double(values.count - 1) : Double(width) / 2
        }
        func y(_ value: Double) -> Double {
            inset + (high - min(max(value, low), high)) / (high - low) * plotHeight
        }
        let joined = values.indices.dropFirst().contains { values[$0] != nil && values[$0 - 1] != nil }
        if joined {
            writer.raw("<path class=\"ln\" d=\"")
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                writer.raw(index > 0 && values[index - 1] != nil ? "L" : "M")
                writer.point(x(index), y(value))
            }
            writer.raw("\"/>")
        }
        let last = values.count - 1
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            if index == last {
                writer.circle(class: "ba", x: x(index), y: y(value), radius: 2.5)
            } else if (index == 0 || values[index - 1] == nil) && values[index + 1] == nil {
                writer.circle(class: "ba", x: x(index), y: y(value), radius: 1.5)
            }
        }
        writer.raw("</svg>")
    }

    /// The vertical domain: the values' extent (clamped to the KPI's range), widened to `minimumSpan` of the range
    /// around its middle and kept inside the range.
    static func domain(_ values: [Double?], kpi: KPI) -> (low: Double, high: Double) {
        let range = kpi.range
        var low = range.upperBound
        var high = range.lowerBound
        for case let value? in values {
            let clamped = min(max(value, range.lowerBound), range.upperBound)
            low = min(low, clamped)
            high = max(high, clamped)
        }
        let span = (range.upperBound - range.lowerBound) * minimumSpan
        if high - low < span {
            let middle = min(max((low + high) / 2, range.lowerBound + span / 2), range.upperBound - span / 2)
            low = middle - span / 2
            high = middle + span / 2
        }
        return (low, high)
    }
}
