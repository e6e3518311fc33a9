import UTCTime

/// The ability θ over time: a line through the estimates with a shaded band of ±1 standard error.
enum AbilityChart {
    static let width = 400
    static let height = 196
    static let left = 40.0
    static let right = 392.0
    static let top = 8.0
    static let bottom = 168.0
    /// More estimates than this are thinned to the latest in each of this many equal slices of time.
    static let maximumPoints = 60
    /// Standard errors wider than this do not stretch the vertical axis (the band is cut at the plot's edge).
    static let largestScaledSE = 1.5

    /// Writes the chart and a one-line summary, or "not enough data yet" without estimates.
    static func write(_ history: [AbilityPoint], into writer: inout HTMLWriter) {
        let estimates = valid(history)
        guard let first = estimates.first, let last = estimates.last else {
            writer.raw("<p class=\"na\">Ability: not enough data yet. ")
            writer.raw("It appears once your answers have been included in a calibration.</p>")
            return
        }
        let points = thinned(estimates)
        var low = Double.infinity
        var high = -Double.infinity
        for point in points {
            low = min(low, point.theta - min(point.se, largestScaledSE))
            high = max(high, point.theta + min(point.se, largestScaledSE))
        }
        if high - low < 1 {
            let middle = (low + high) / 2
            (low, high) = (middle - 0.5, middle + 0.5)
        }
        let axis = NiceAxis(low: low, high: high, ticks: 4, from: bottom, to: top)
        let t0 = Double(points[0].fittedAt.microseconds)
        let tSpan = Double(points[points.count - 1].fittedAt.microseconds) - t0
        func x(_ point: AbilityPoint) -> Double {
            tSpan > 0 ? left + (Double(point.fittedAt.microseconds) - t0) / tSpan * (right - left) : (left + right) / 2
        }

        writer.openChart(class: "c", width: width, height: height, id: "ab")
        writer.raw("Ability θ over time with a ±1 standard error band")
        writer.beginDescription(id: "ab")
        describe(estimates, into: &writer)
        writer.endDescription()
        for tick in axis.ticks {
            let y = axis.position(tick)
            writer.raw("<path class=\"gr\" d=\"M")
            writer.point(left, y)
            writer.raw("H")
            writer.coord(right)
            writer.raw("\"/>")
            writer.openLabel(x: left - 4, y: y + 4, anchor: "end", muted: true)
            writer.number(tick, decimals: axis.decimals)
            writer.raw("</text>")
        }
        if points.count == 1 {
            let top = axis.position(first.theta + first.se)
            writer.rect(
                class: "bd", x: x(first) - 8, y: top, width: 16, height: axis.position(first.theta - first.se) - top)
        } else {
            writer.raw("<path class=\"bd\" d=\"")
            for (index, point) in points.enumerated() {
                writer.raw(index == 0 ? "M" : "L")
                writer.point(x(point), axis.position(point.theta + point.se))
            }
            for point in points.reversed() {
                writer.raw("L")
                writer.point(x(point), axis.position(point.theta - point.se))
            }
            writer.raw("Z\"/><path class=\"ln\" d=\"")
            for (index, point) in points.enumerated() {
                writer.raw(index == 0 ? "M" : "L")
                writer.point(x(point), axis.position(point.theta))
            }
            writer.raw("\"/>")
        }
        writer.circle(class: "ba", x: x(last), y: axis.position(last.theta), radius: 3.5)
        let firstDay = first.fittedAt.day
        let lastDay = last.fittedAt.day
        if firstDay == lastDay {
            writer.openLabel(x: (left + right) / 2, y: Double(height) - 8, anchor: "middle", muted: true)
            writer.iso(firstDay)
        } else {
            writer.openLabel(x: left, y: Double(height) - 8, anchor: "start", muted: true)
            writer.iso(firstDay)
            writer.raw("</text>")
            writer.openLabel(x: right, y: Double(height) - 8, anchor: "end", muted: true)
            writer.iso(lastDay)
        }
        writer.raw("</text></svg>")
        summarize(estimates, into: &writer)
    }

    /// The estimates with a finite θ, in time order; a standard error that is not a positive number counts as 0.
    static func valid(_ history: [AbilityPoint]) -> [AbilityPoint] {
        var result: [AbilityPoint] = []
        result.reserveCapacity(history.count)
        for var point in history where point.theta.isFinite {
            if !(point.se.isFinite && point.se > 0) { point.se = 0 }
            result.append(point)
        }
        if zip(result, result.dropFirst()).contains(where: { $0.fittedAt > $1.fittedAt }) {
            result.sort { $0.fittedAt < $1.fittedAt }
        }
        return result
    }

    /// At most `maximumPoints` estimates: the latest of each equal slice of the time span.
    static func thinned(_ points: [AbilityPoint]) -> [AbilityPoint] {
        guard points.count > maximumPoints, let first = points.first, let last = points.last else { return points }
        let span = Double(last.fittedAt.microseconds - first.fittedAt.microseconds)
        guard span > 0 else { return [last] }
        var result: [AbilityPoint] = []
        var lastSlice = -1
        for point in points {
            let offset = Double(point.fittedAt.microseconds - first.fittedAt.microseconds)
            let slice = Int(offset / span * Double(maximumPoints - 1))
            if slice == lastSlice {
                result[result.count - 1] = point
            } else {
                result.append(point)
                lastSlice = slice
            }
        }
        return result
    }
}
