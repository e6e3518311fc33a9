/// Building blocks of the inline SVG charts.
extension HTMLWriter {
    /// Opens an inline chart, `<svg … role="img" aria-labelledby="IDt IDd"><title id="IDt">`: the caller writes the
    /// title, calls `beginDescription(id:)`, writes the description (the chart's text alternative), calls
    /// `endDescription()`, draws, and closes with `</svg>`.
    mutating func openChart(class cssClass: StaticString, width: Int, height: Int, id: String) {
        raw("<svg class=\"")
        raw(cssClass)
        raw("\" viewBox=\"0 0 ")
        int(width)
        raw(" ")
        int(height)
        raw("\" role=\"img\" aria-labelledby=\"")
        text(id)
        raw("t ")
        text(id)
        raw("d\"><title id=\"")
        text(id)
        raw("t\">")
    }

    /// Ends the chart's title and starts its description.
    mutating func beginDescription(id: String) {
        raw("</title><desc id=\"")
        text(id)
        raw("d\">")
    }

    /// Ends the chart's description.
    mutating func endDescription() {
        raw("</desc>")
    }

    /// An SVG `<text>` element at (`x`, `y`) with trusted content; `anchor` is `start`, `middle` or `end`.
    mutating func label(_ content: StaticString, x: Double, y: Double, anchor: StaticString, muted: Bool = false) {
        openLabel(x: x, y: y, anchor: anchor, muted: muted)
        raw(content)
        raw("</text>")
    }

    /// Opens an SVG `<text>` element; the caller writes the content and `</text>`.
    mutating func openLabel(x: Double, y: Double, anchor: StaticString, muted: Bool = false) {
        raw(muted ? "<text class=\"m\" x=\"" : "<text x=\"")
        coord(x)
        raw("\" y=\"")
        coord(y)
        raw("\" text-anchor=\"")
        raw(anchor)
        raw("\">")
    }

    /// An SVG `<rect>` with a CSS class.
    mutating func rect(class cssClass: StaticString, x: Double, y: Double, width: Double, height: Double) {
        raw("<rect class=\"")
        raw(cssClass)
        raw("\" x=\"")
        coord(x)
        raw("\" y=\"")
        coord(y)
        raw("\" width=\"")
        coord(width)
        raw("\" height=\"")
        coord(height)
        raw("\"/>")
    }

    /// An SVG `<circle>` with a CSS class.
    mutating func circle(class cssClass: StaticString, x: Double, y: Double, radius: Double) {
        raw("<circle class=\"")
        raw(cssClass)
        raw("\" cx=\"")
        coord(x)
        raw("\" cy=\"")
        coord(y)
        raw("\" r=\"")
        coord(radius)
        raw("\"/>")
    }
}
