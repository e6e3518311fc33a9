import Foundation
import Reports
import Testing

/// Parses rendered pages with html5lib in strict mode (it raises on any parse error) and checks that every id is
/// unique and every `aria-labelledby` points at an element of the page.
@Suite struct WellFormednessTests {
    static let checker = """
        import sys, html5lib
        for path in sys.argv[1:]:
            with open(path, "rb") as f:
                tree = html5lib.HTMLParser(strict=True).parse(f.read())
            ids = [e.get("id") for e in tree.iter() if e.get("id") is not None]
            assert len(ids) == len(set(ids)), (path, "duplicate id")
            for e in tree.iter():
                for ref in (e.get("aria-labelledby") or "").split():
                    assert ref in ids, (path, "dangling aria-labelledby", ref)
        print("ok", len(sys.argv) - 1)
        """

    @Test func pagesParseWithoutErrors() throws {
        let attack = "<script>alert(1)</script>"
        var everyKPIMissing = Fixtures.data(ability: [], topics: [], days: [])
        everyKPIMissing.kpis = [:]
        let pages: [ReportData] = [
            Fixtures.data(),
            Fixtures.data(user: attack, topics: [TopicAccuracy(topicID: attack, attempts: 3, correct: 1)]),
            Fixtures.data(
                user: "a\u{0}b & \"c\" 'd' \u{7F}é", topics: [TopicAccuracy(topicID: "x\u{1}", attempts: 1, correct: 0)]
            ),
            everyKPIMissing,
            Fixtures.thisWeek([.churnRisk: 0.9, .improvement: -0.3]),
            Fixtures.data(ability: [Fixtures.ability[0]]),
            Fixtures.hostile(),
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, page) in pages.enumerated() {
            let url = directory.appendingPathComponent("report-\(index).html")
            try Data(ReportRenderer.render(page)).write(to: url)
            paths.append(url.path)
        }
        if try run(["-c", "import html5lib"]).status != 0 {
            _ = try run(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "html5lib"])
        }
        let result = try run(["-c", Self.checker] + paths)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("ok \(pages.count)"), "\(result.output)")
    }

    /// Runs `python3` with `arguments`; returns its exit status and combined output.
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
