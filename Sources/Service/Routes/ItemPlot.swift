import Foundation
import JSON
import Reports

/// `GET /v1/items/{item_id}/plot`: a self-contained SVG (no script, no external assets) for the item's author: the
/// fitted response curve over θ, the observed proportion correct in ability groups with 95 % Wilson intervals
/// (from the latest calibration's `params.fit.groups`), and a caption with the parameters, fit figures and flags.
enum ItemPlot {
    static let width = 640.0
    /// Plot area in pixels, and the θ range it shows.
    static let left = 56.0
    static let right = 620.0
    static let top = 24.0
    static let bottom = 304.0
    static let thetaRange = -4.0...4.0

    /// The SVG of an item as `ItemRoutes.detail` returns it; `nil` when it has no usable parameters.
    static func svg(_ item: JSONValue) -> String? {
        let params = item["params"]
        guard let a = params?["a"]?.doubleValue, let b = params?["b"]?.doubleValue, a.isFinite, b.isFinite else {
            return nil
        }
        let c = params?["c"]?.doubleValue ?? 0
        let fit = params?["fit"]
        let id = item["item_id"]?.stringValue ?? ""
        let lines = caption(id: id, a: a, b: b, c: c, fit: fit, responses: item["n_responses"]?.intValue)
        let height = Int(bottom) + 60 + 18 * lines.count
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(height)" \
            viewBox="0 0 \(Int(width)) \(height)" font-family="sans-serif" font-size="12">
            <title>Item \(HTMLEscaping.escape(id)): fitted curve and observed proportions</title>
            <rect width="100%" height="100%" fill="#ffffff"/>

            """
        out += axes()
        var points: [String] = []
        for step in 0...160 {
            let theta = thetaRange.lowerBound + Double(step) * 0.05
            let p = c + (1 - c) / (1 + exp(-a * (theta - b)))
            points.append("\(format(x(theta), 1)),\(format(y(p), 1))")
        }
        out +=
            "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
        for group in fit?["groups"]?.arrayValue ?? [] {
            guard let theta = group["theta"]?.doubleValue, let n = group["n"]?.doubleValue, n > 0,
                let correct = group["correct"]?.doubleValue, thetaRange.contains(theta)
            else { continue }
            let (low, high) = wilson(correct, n)
            let px = format(x(theta), 1)
            out += "<line x1=\"\(px)\" y1=\"\(format(y(low), 1))\" x2=\"\(px)\" y2=\"\(format(y(high), 1))\" "
            out += "stroke=\"#c0392b\" stroke-width=\"1.5\"/>\n"
            out += "<circle cx=\"\(px)\" cy=\"\(format(y(correct / n), 1))\" r=\"4\" fill=\"#c0392b\"/>\n"
        }
        for (k, line) in lines.enumerated() {
            let weight = line == "FLAGGED:" ? " font-weight=\"bold\" fill=\"#c0392b\"" : ""
            out +=
                "<text x=\"\(left)\" y=\"\(Int(bottom) + 52 + 18 * k)\"\(weight)>\(HTMLEscaping.escape(line))</text>\n"
        }
        return out + "</svg>\n"
    }

    /// Frame, ticks and axis labels.
    private static func axes() -> String {
        var out = "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(right - left)\" height=\"\(bottom - top)\" "
        out += "fill=\"none\" stroke=\"#333333\"/>\n"
        for theta in stride(from: thetaRange.lowerBound, through: thetaRange.upperBound, by: 1) {
            let px = format(x(theta), 1)
            out += "<line x1=\"\(px)\" y1=\"\(bottom)\" x2=\"\(px)\" y2=\"\(bottom + 5)\" stroke=\"#333333\"/>"
            out += "<text x=\"\(px)\" y=\"\(bottom + 18)\" text-anchor=\"middle\">\(Int(theta))</text>\n"
        }
        for p in stride(from: 0.0, through: 1.0, by: 0.25) {
            let py = format(y(p), 1)
            out += "<line x1=\"\(left - 5)\" y1=\"\(py)\" x2=\"\(left)\" y2=\"\(py)\" stroke=\"#333333\"/>"
            out += "<text x=\"\(left - 8)\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">"
            out += "\(format(p, 2))</text>\n"
        }
        out += "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 34)\" text-anchor=\"middle\">ability θ</text>\n"
        out += "<text x=\"14\" y=\"\((top + bottom) / 2)\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 14 \((top + bottom) / 2))\">P(correct)</text>\n"
        return out
    }

    /// Parameters, fit figures and flags, one line each.
    private static func caption(id: String, a: Double, b: Double, c: Double, fit: JSONValue?, responses: Int64?)
        -> [String]
    {
        var lines = [
            "Item \(id): a = \(format(a, 3)), b = \(format(b, 3)), c = \(format(c, 3))"
                + (responses.map { ", \($0) responses" } ?? ""),
            "Line: fitted curve · dots: observed proportion correct by θ group, 95 % interval",
        ]
        if let fit {
            var figures = "infit \(number(fit["infit"])), outfit \(number(fit["outfit"])), "
            figures += "item–rest \(number(fit["item_rest"]))"
            if let sx2 = fit["s_x2"]?.doubleValue, let df = fit["s_x2_df"]?.intValue {
                let p = fit["s_x2_p"]?.doubleValue.map { $0 < 0.0001 ? "< 0.0001" : "= " + format($0, 4) } ?? "–"
                figures += ", S-X² \(format(sx2, 1)) on \(df) df (p \(p))"
            } else {
                figures += ", S-X² not computed"
            }
            lines.append(figures)
            let reasons = fit["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            lines.append(reasons.isEmpty ? "Not flagged." : "FLAGGED:")
            lines += reasons.map { "• " + $0 }
        } else {
            lines.append("No fit figures: the item has not been calibrated with item fit yet.")
        }
        return lines
    }

    /// Wilson score interval for `k` of `n` at 95 %.
    static func wilson(_ k: Double, _ n: Double) -> (Double, Double) {
        let z = 1.959_963_984_540_054
        let p = k / n
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }

    private static func x(_ theta: Double) -> Double {
        let clamped = min(max(theta, thetaRange.lowerBound), thetaRange.upperBound)
        return left + (clamped - thetaRange.lowerBound) / (thetaRange.upperBound - thetaRange.lowerBound)
            * (right - left)
    }

    private static func y(_ p: Double) -> Double { bottom - min(max(p, 0), 1) * (bottom - top) }

    private static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private static func number(_ value: JSONValue?, digits: Int = 2) -> String {
        value?.doubleValue.map { format($0, digits) } ?? "–"
    }
}
