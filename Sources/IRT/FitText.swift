import Glibc

/// Numbers in flag reasons, without Foundation.
enum FitText {
    /// `x` rounded to `digits` decimals, with trailing zeros (`1.50`).
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return String(x) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 1e15 else { return String(x) }
        let whole = Int(scaled)
        let integer = String(whole / Int(scale))
        var fraction = String(whole % Int(scale))
        fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        let sign = x < 0 && whole != 0 ? "-" : ""
        return sign + integer + (digits > 0 ? "." + fraction : "")
    }

    /// A p-value: four decimals from 0.0001 up, else three significant digits in scientific form (`2.31e-07`).
    static func probability(_ p: Double) -> String {
        if p == 0 { return "< 1e-300" }
        if p >= 1e-4 || !p.isFinite { return fixed(p, 4) }
        let exponent = Int(floor(log10(p)))
        if exponent < -300 { return "< 1e-300" }
        var power = 1.0
        for _ in 0..<(-exponent) { power *= 10 }
        let mantissa = fixed(p * power, 2)
        return mantissa + "e-" + (-exponent < 10 ? "0" : "") + String(-exponent)
    }
}
