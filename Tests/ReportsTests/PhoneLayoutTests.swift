import Foundation
import Reports
import Testing
import UTCTime

/// A report fits a phone: at 360 px wide nothing runs past the right edge (the KPI table, the intro line). Measured
/// with Debian's chromium on a copy of the report with one added script that records the page's scroll width; the
/// reports themselves stay free of script.
@Suite struct PhoneLayoutTests {
    /// The page's `document.documentElement.scrollWidth` in a `width`×800 viewport.
    static func scrollWidth(of page: [UInt8], width: Int) throws -> Int {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let browser = try #require(chromium, "Debian's chromium is needed (apt-get install chromium)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Chromium's windows are at least 500 px wide, so the copy is shown in a `width`-wide frame of the page that
        // is dumped (a `srcdoc` frame shares its origin, so its script can write the figure into the dumped page).
        // The widest of the page and of every scrolling box in it (a table that only fits by scrolling is cut off too).
        let probe =
            "<script>parent.document.documentElement.setAttribute('data-scroll-width', String(Math.max("
            + "document.documentElement.scrollWidth, ...Array.from(document.querySelectorAll('main *'))"
            + ".filter(e => e instanceof HTMLElement).map(e => e.scrollWidth))"
            + "))</script></body>"
        let copy = String(decoding: page, as: UTF8.self).replacingOccurrences(of: "</body>", with: probe)
        let escaped = copy.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        let frame =
            "<!doctype html><html><body style=\"margin:0\"><iframe style=\"border:0\" width=\"\(width)\" "
            + "height=\"800\" srcdoc=\"\(escaped)\"></iframe></body></html>"
        let file = directory.appendingPathComponent("frame.html")
        try Data(frame.utf8).write(to: file)
        let output = directory.appendingPathComponent("dom.html")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),800",
            "--user-data-dir=\(directory.path)/profile", "--dump-dom", file.absoluteString,
        ]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitForExitStatus()
        let dom = try String(contentsOf: output, encoding: .utf8)
        guard let range = dom.range(of: "data-scroll-width=\"") else {
            throw MeasureError(description: "chromium's DOM has no measurement: \(dom.prefix(200))")
        }
        return Int(dom[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }

    struct MeasureError: Error, CustomStringConvertible {
        let description: String
    }

    @Test func aFullReportFitsA360PixelScreen() throws {
        let data = Fixtures.data(user: "learner_with_a_rather_long_identifier_0000000042@example.org")
        let page = ReportRenderer.render(data)
        #expect(!String(decoding: page, as: UTF8.self).contains("<script"))
        let width = try Self.scrollWidth(of: page, width: 360)
        #expect(width > 0 && width <= 360, "scrollWidth \(width) at 360 px")
    }
}
