import UTCTime

/// Accuracy per topic for the week: one labelled horizontal bar per topic, most answered first.
enum TopicChart {
    static let width = 400
    static let rowHeight = 34.0
    /// Topics beyond this many (the least answered) are summarised in one line under the chart.
    static let maximumTopics = 12
    /// Longer topic names are shortened in the chart (the description keeps them whole).
    static let labelLength = 28

    /// Writes the chart, or "not enough data yet" when no topic has answers this week.
    static func write(_ topics: [TopicAccuracy], week: Day, into writer: inout HTMLWriter) {
        let answered = topics.filter { $0.attempts > 0 }.sorted { lhs, rhs in
            if lhs.attempts != rhs.attempts { return lhs.attempts > rhs.attempts }
            switch (lhs.topicID, rhs.topicID) {
            case (let left?, let right?): return left < right
            case (.some, nil): return true
            default: return false
            }
        }
        guard !answered.isEmpty else {
            writer.raw("<p class=\"na\">Accuracy per topic: not enough data yet this week.</p>")
            return
        }
        let shown = answered.prefix(maximumTopics)
        let height = Int(Double(shown.count) * rowHeight) + 2
        writer.openChart(class: "c", width: width, height: height, id: "tp")
        writer.raw("Accuracy per topic, week of ")
        writer.iso(week)
        writer.beginDescription(id: "tp")
        writer.raw("Share of correct answers per topic: ")
        for (index, topic) in shown.enumerated() {
            if index > 0 { writer.raw("; ") }
            writer.text(name(of: topic))
            writer.raw(" ")
            value(of: topic, into: &writer)
        }
        writer.raw(".")
        writer.endDescription()
        for (index, topic) in shown.enumerated() {
            let top = Double(index) * rowHeight
            writer.openLabel(x: 0, y: top + 13, anchor: "start")
            writer.text(shortName(of: topic))
            writer.raw("</text>")
            writer.openLabel(x: Double(width), y: top + 13, anchor: "end", muted: true)
            value(of: topic, into: &writer)
            writer.raw("</text>")
            writer.rect(class: "bt", x: 0, y: top + 18, width: Double(width), height: 10)
            let filled = (topic.accuracy ?? 0) * Double(width)
            if filled > 0 {
                writer.rect(class: "ba", x: 0, y: top + 18, width: max(filled, 1), height: 10)
            }
        }
        writer.raw("</svg>")
        let hidden = answered.dropFirst(maximumTopics)
        if !hidden.isEmpty {
            writer.raw("<p class=\"mu\">")
            writer.int(hidden.count)
            writer.raw(hidden.count == 1 ? " more topic" : " more topics")
            writer.raw(" with ")
            writer.int(hidden.reduce(0) { $0 &+ $1.attempts })
            writer.raw(" answers not shown.</p>")
        }
    }

    /// `72% · 18 of 25`.
    private static func value(of topic: TopicAccuracy, into writer: inout HTMLWriter) {
        writer.percent(topic.accuracy)
        writer.raw(" · ")
        writer.int(min(max(topic.correct, 0), topic.attempts))
        writer.raw(" of ")
        writer.int(topic.attempts)
    }

    private static func name(of topic: TopicAccuracy) -> String {
        topic.topicID ?? "(no topic)"
    }

    /// The name cut to `labelLength` characters with an ellipsis.
    private static func shortName(of topic: TopicAccuracy) -> String {
        let name = name(of: topic)
        guard name.utf8.count > labelLength, name.count > labelLength else { return name }
        return String(name.prefix(labelLength - 1)) + "…"
    }
}
