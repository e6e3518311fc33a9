/// A value axis widened to round tick steps (1, 2 or 5 × 10ⁿ) and mapped onto a span of SVG units.
struct NiceAxis {
    /// The axis's data interval, a whole number of steps.
    private(set) var low: Double
    private(set) var high: Double
    /// The distance between ticks.
    private(set) var step: Double
    /// Decimal places that print every tick exactly.
    private(set) var decimals: Int
    /// The SVG coordinates of `low` and `high` (for a vertical axis `low` is the bottom, the larger coordinate).
    var start: Double
    var end: Double

    /// An axis covering `low...high` with about `ticks` steps, drawn from `start` to `end`. An empty or inverted
    /// interval is widened to one unit around `low`.
    init(low: Double, high: Double, ticks: Int, from start: Double, to end: Double) {
        self.start = start
        self.end = end
        var low = low
        var high = high
        if !(high > low) {
            low -= 0.5
            high = low + 1
        }
        let rough = (high - low) / Double(max(1, ticks))
        var magnitude = 1.0
        var guardCount = 0
        while magnitude * 10 <= rough && guardCount < 400 {
            magnitude *= 10
            guardCount += 1
        }
        while magnitude > rough && guardCount < 800 {
            magnitude /= 10
            guardCount += 1
        }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        self.step = step
        self.low = (low / step).rounded(.down) * step
        self.high = (high / step).rounded(.up) * step
        var decimals = 0
        var scaled = step
        while decimals < 4 && (scaled - scaled.rounded()).magnitude > 1e-9 * max(1, scaled) {
            scaled *= 10
            decimals += 1
        }
        self.decimals = decimals
    }

    /// The tick values from `low` to `high`.
    var ticks: [Double] {
        let count = Int(min(50, max(0, ((high - low) / step).rounded())))
        return (0...count).map { low + Double($0) * step }
    }

    /// The SVG coordinate of `value`, clamped to the axis.
    func position(_ value: Double) -> Double {
        let clamped = min(max(value, low), high)
        return start + (clamped - low) / (high - low) * (end - start)
    }
}
