import Foundation
import JSON
import Testing

@testable import Service

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The item plot is well-formed SVG with no script or external asset, escapes what it prints (a control character
/// an id may hold becomes U+FFFD, which XML requires), and renders with
/// Debian's chromium to a picture that is not blank.
@Suite struct ItemPlotTests {
    static let item: JSONValue = [
        "item_id": "i<&>\"'\u{1}01", "n_responses": 5000,
        "params": [
            "a": 1.4, "b": -0.3, "c": 0.1,
            "fit": [
                "infit": 1.02, "outfit": 1.41, "item_rest": 0.21, "s_x2": 73.2, "s_x2_df": 31, "s_x2_p": 0.00003,
                "reasons": ["outfit 1.41 outside 0.7–1.3 (5000 responses)", "S-X² <p> & co"],
                "groups": [
                    ["theta": -2.7, "n": 120, "correct": 30], ["theta": -1.2, "n": 800, "correct": 260],
                    ["theta": 0.1, "n": 1500, "correct": 900], ["theta": 1.3, "n": 700, "correct": 640],
                    ["theta": 2.9, "n": 90, "correct": 90],
                ],
            ],
        ],
    ]

    @Test func wellFormedSelfContainedAndEscaped() throws {
        let svg = try #require(ItemPlot.svg(Self.item))
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(!svg.contains("<script") && !svg.contains("href") && !svg.contains("url("))
        #expect(svg.contains("i&lt;&amp;&gt;&quot;&#39;\u{FFFD}01") && svg.contains("S-X² &lt;p&gt; &amp; co"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 5)
        #expect(svg.contains("<polyline"))
        #expect(ItemPlot.svg(["item_id": "x", "params": .null]) == nil)
    }

    @Test func wilsonIntervalBracketsTheProportion() {
        let (low, high) = ItemPlot.wilson(30, 120)
        #expect(abs(low - 0.1811) < 1e-3 && abs(high - 0.3344) < 1e-3)
        #expect(ItemPlot.wilson(90, 90).1 == 1)
    }

    @Test func rendersToAPictureThatIsNotBlank() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let browser = try #require(chromium, "Debian's chromium is needed (apt-get install chromium)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("plot.svg")
        try Data(try #require(ItemPlot.svg(Self.item)).utf8).write(to: page)
        let png = directory.appendingPathComponent("plot.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=640,460",
            "--user-data-dir=\(directory.path)/profile", "--screenshot=\(png.path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitForExitStatus()
        let bytes = try [UInt8](Data(contentsOf: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // Decode the pixels with Python's zlib and count those that are not white.
        let checker = """
            import sys, zlib, struct
            data = open(sys.argv[1], 'rb').read()
            pos, idat, width, height = 8, b'', 0, 0
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + length]
                if kind == b'IHDR': width, height, depth, colour = struct.unpack('>IIBB', body[:10])
                if kind == b'IDAT': idat += body
                pos += 12 + length
            raw = zlib.decompress(idat)
            channels = {2: 3, 6: 4}[colour]
            stride = width * channels
            previous = bytearray(stride)
            dark = 0
            for row in range(height):
                start = row * (stride + 1)
                kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
                for i in range(stride):
                    left = line[i - channels] if i >= channels else 0
                    up = previous[i]
                    corner = previous[i - channels] if i >= channels else 0
                    if kind == 1: line[i] = (line[i] + left) & 255
                    elif kind == 2: line[i] = (line[i] + up) & 255
                    elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                    elif kind == 4:
                        p = left + up - corner
                        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                        line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
                dark += sum(1 for x in range(0, stride, channels) if min(line[x:x + 3]) < 128)
                previous = line
            print(dark, width * height)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", checker, png.path]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitForExitStatus()
        let counts = output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2, "\(output)")
        let dark = counts.first ?? 0
        let total = counts.last ?? 0
        // Curve, points, axes and caption: well over a thousand dark pixels, far from all of them.
        #expect(dark > 1_000 && dark < total / 2, "\(dark) dark pixels of \(total)")
    }
}
