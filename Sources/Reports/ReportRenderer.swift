import UTCTime

/// Renders a weekly report as one self-contained HTML page: inline CSS and SVG, no script, no external resources.
///
/// Pure and fast: the page is appended to one byte buffer, numbers go through `FixedDecimal`, and every string from
/// data is escaped. The page has a header (learner, week), advice, the KPI table with sparklines, the ability trend,
/// accuracy per topic and answers per day; a missing value reads "not enough data yet" and is never drawn as 0.
public enum ReportRenderer {
    /// The capacity reserved for a page; a full report is about 15–20 KB.
    static let initialCapacity = 32 * 1024

    /// The report as a UTF-8 HTML document.
    public static func render(_ data: ReportData) -> [UInt8] {
        var writer = HTMLWriter(capacity: initialCapacity)
        writeHead(data, into: &writer)
        writer.raw("<body><main><header><h1>Weekly learning report</h1><p>Learner <strong>")
        writer.text(data.userID)
        writer.raw("</strong></p><p>Week ")
        let (isoYear, isoWeek) = DayNames.isoWeek(of: data.weekStart)
        writer.int(isoYear)
        writer.raw("-W")
        FixedDecimal.appendDigits(UInt64(isoWeek), width: 2, to: &writer.bytes)
        writer.raw(": <time datetime=\"")
        writer.iso(data.weekStart)
        writer.raw("\">")
        writer.longDate(data.weekStart)
        writer.raw("</time> to <time datetime=\"")
        writer.iso(data.weekEnd)
        writer.raw("\">")
        writer.longDate(data.weekEnd)
        writer.raw("</time> (UTC)</p></header>")

        writer.raw("<section><h2>Advice</h2><ul class=\"ad\">")
        for advice in AdvisorRules.advice(for: data) {
            writeAdvice(advice, into: &writer)
        }
        writer.raw("</ul></section>")

        writeKPITable(data, into: &writer)

        writer.raw("<section><h2>Ability (θ) over time</h2>")
        AbilityChart.write(data.abilityHistory, into: &writer)
        writer.raw("</section><section><h2>Accuracy per topic this week</h2>")
        TopicChart.write(data.topics, week: data.weekStart, into: &writer)
        writer.raw("</section><section><h2>Answers per day</h2>")
        DailyChart.write(data.weekDays, into: &writer)
        writer.raw("</section><footer><p class=\"mu\">Generated ")
        writer.text(data.generatedAt.rfc3339)
        writer.raw(". Indicators are computed nightly from your answers; “pts” are percentage points.</p>")
        writer.raw("</footer></main></body></html>\n")
        return writer.bytes
    }

    /// `<!DOCTYPE html>` through `</head>`.
    private static func writeHead(_ data: ReportData, into writer: inout HTMLWriter) {
        writer.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        writer.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Weekly report: ")
        writer.text(data.userID)
        writer.raw(", week of ")
        writer.iso(data.weekStart)
        writer.raw("</title><style>")
        writer.raw(ReportStyle.css)
        writer.raw("</style></head>")
    }

    /// One advice item; the level is written out, not only shown by colour.
    private static func writeAdvice(_ advice: Advice, into writer: inout HTMLWriter) {
        writer.raw("<li class=\"")
        writer.text(advice.level.rawValue)
        writer.raw("\"><strong>")
        writer.text(advice.level.label)
        writer.raw(":</strong> ")
        writer.text(advice.text)
        writer.raw("</li>")
    }
}
