/// The KPI table: one row per KPI with its meaning, this week's value, the change and the sparkline.
extension ReportRenderer {
    static func writeKPITable(_ data: ReportData, into writer: inout HTMLWriter) {
        let weeks = data.chartWeeks
        writer.raw("<section><h2>Your indicators</h2><div class=\"tw\"><table><caption>The six indicators for the ")
        writer.raw("week of ")
        writer.iso(data.weekStart)
        writer.raw(", the change from the week before and the last ")
        writer.int(weeks.count)
        writer.raw(weeks.count == 1 ? " week" : " weeks")
        writer.raw(".</caption><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">This week</th>")
        writer.raw("<th scope=\"col\">Change from last week</th><th scope=\"col\">Last ")
        writer.int(weeks.count)
        writer.raw(weeks.count == 1 ? " week" : " weeks")
        writer.raw("</th></tr></thead><tbody>")
        for (index, row) in data.kpiRows.enumerated() {
            writer.raw("<tr><th scope=\"row\">")
            writer.text(row.kpi.title)
            writer.raw("<small>")
            writer.text(row.kpi.meaning)
            writer.raw("</small></th>")
            writer.raw(row.value == nil ? "<td class=\"na\">" : "<td>")
            writer.kpiValue(row.value, of: row.kpi)
            switch row.verdict {
            case nil: writer.raw("</td><td class=\"na\">")
            case .better: writer.raw("</td><td class=\"better\">")
            case .worse: writer.raw("</td><td class=\"worse\">")
            case .unchanged: writer.raw("</td><td>")
            }
            writer.text(row.changeSummary)
            writer.raw("</td><td>")
            Sparkline.write(row, weeks: weeks, id: sparklineIDs[index], into: &writer)
            writer.raw("</td></tr>")
        }
        writer.raw("</tbody></table></div></section>")
    }

    /// The ids of the sparklines' titles and descriptions, one per KPI.
    private static let sparklineIDs = KPI.allCases.indices.map { "s\($0)" }
}
