/// Answers per day of the week: one bar per day, correct answers at the bottom, the rest stacked on top.
enum DailyChart {
    static let width = 400
    static let height = 190
    static let top = 20.0
    static let bottom = 150.0
    static let barWidth = 30.0

    /// Writes the chart, its legend and the week's total. `days` are the seven days, Monday first.
    static func write(_ days: [DailyActivity], into writer: inout HTMLWriter) {
        let most = days.reduce(0) { max($0, $1.attempts) }
        let slot = Double(width) / Double(max(1, days.count))
        writer.openChart(class: "c", width: width, height: height, id: "dy")
        writer.raw("Answers per day, Monday to Sunday")
        writer.beginDescription(id: "dy")
        for (index, day) in days.enumerated() {
            if index > 0 { writer.raw("; ") }
            writer.weekday(day.day)
            writer.raw(" ")
            writer.iso(day.day)
            writer.raw(": ")
            count(day, into: &writer)
        }
        writer.raw(".")
        writer.endDescription()
        writer.raw("<path class=\"gr\" d=\"M0 ")
        writer.coord(bottom)
        writer.raw("H")
        writer.int(width)
        writer.raw("\"/>")
        for (index, day) in days.enumerated() {
            let center = (Double(index) + 0.5) * slot
            let x = center - barWidth / 2
            var barTop = bottom
            if most > 0, day.attempts > 0 {
                let unit = (bottom - top) / Double(most)
                let correctHeight = Double(day.correct) * unit
                let wrongHeight = Double(day.attempts - day.correct) * unit
                barTop = bottom - correctHeight - wrongHeight
                if wrongHeight > 0 {
                    writer.rect(class: "bm", x: x, y: barTop, width: barWidth, height: wrongHeight)
                }
                if correctHeight > 0 {
                    writer.rect(class: "ba", x: x, y: bottom - correctHeight, width: barWidth, height: correctHeight)
                }
            }
            writer.openLabel(x: center, y: barTop - 5, anchor: "middle")
            writer.int(day.attempts)
            writer.raw("</text>")
            writer.openLabel(x: center, y: bottom + 18, anchor: "middle")
            writer.weekday(day.day)
            writer.raw("</text>")
            writer.openLabel(x: center, y: bottom + 34, anchor: "middle", muted: true)
            writer.int(day.day.civil.day)
            writer.raw("</text>")
        }
        writer.raw(
            "</svg><p class=\"mu\"><span class=\"k ka\"></span>correct<span class=\"k km\"></span>not correct</p>")
        let attempts = days.reduce(0) { $0 &+ $1.attempts }
        let correct = days.reduce(0) { $0 &+ $1.correct }
        if attempts == 0 {
            writer.raw("<p>No answers this week.</p>")
        } else {
            writer.raw("<p>This week: ")
            writer.int(attempts)
            writer.raw(attempts == 1 ? " answer, " : " answers, ")
            writer.int(correct)
            writer.raw(" correct (")
            writer.percent(Double(correct) / Double(attempts))
            writer.raw(").</p>")
        }
    }

    /// `12 answers, 9 correct`.
    private static func count(_ day: DailyActivity, into writer: inout HTMLWriter) {
        writer.int(day.attempts)
        writer.raw(day.attempts == 1 ? " answer, " : " answers, ")
        writer.int(day.correct)
        writer.raw(" correct")
    }
}
