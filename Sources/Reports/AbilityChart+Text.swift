/// The ability chart's text: its description for assistive technology and the summary printed under it.
extension AbilityChart {
    /// The chart's text alternative: the span of the estimates, the latest estimate and the extremes.
    static func describe(_ estimates: [AbilityPoint], into writer: inout HTMLWriter) {
        guard let first = estimates.first, let last = estimates.last else { return }
        if estimates.count == 1 {
            writer.raw("One estimate, on ")
            writer.iso(first.fittedAt.day)
            writer.raw(": θ ")
            estimate(first, into: &writer)
            writer.raw(".")
            return
        }
        writer.int(estimates.count)
        writer.raw(" estimates from ")
        writer.iso(first.fittedAt.day)
        writer.raw(" to ")
        writer.iso(last.fittedAt.day)
        writer.raw(". Latest θ ")
        estimate(last, into: &writer)
        var lowest = first.theta
        var highest = first.theta
        for point in estimates {
            lowest = min(lowest, point.theta)
            highest = max(highest, point.theta)
        }
        writer.raw("; lowest θ ")
        writer.number(lowest, decimals: 2)
        writer.raw("; highest θ ")
        writer.number(highest, decimals: 2)
        writer.raw(".")
    }

    /// The visible summary: the latest estimate, the change since the first one, and how to read the chart.
    static func summarize(_ estimates: [AbilityPoint], into writer: inout HTMLWriter) {
        guard let first = estimates.first, let last = estimates.last else { return }
        writer.raw("<p>Latest estimate (")
        writer.iso(last.fittedAt.day)
        writer.raw("): θ = ")
        estimate(last, into: &writer)
        if estimates.count > 1 {
            writer.raw(". Change since ")
            writer.iso(first.fittedAt.day)
            writer.raw(": ")
            let change = last.theta - first.theta
            if (change * 100).rounded() == 0 {
                writer.raw("none")
            } else {
                writer.number(change, decimals: 2, plus: true)
            }
        }
        writer.raw(".</p><p class=\"mu\">θ is your estimated ability (higher is better). The shaded band is ±1 ")
        writer.raw("standard error (SE), the uncertainty of each estimate.</p>")
    }

    /// `0.42 ± 0.18`, or just `0.42` without a standard error.
    private static func estimate(_ point: AbilityPoint, into writer: inout HTMLWriter) {
        writer.number(point.theta, decimals: 2)
        if point.se > 0 {
            writer.raw(" ± ")
            writer.number(point.se, decimals: 2)
        }
    }
}
