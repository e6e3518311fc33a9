import Foundation
import Reports
import TestSupport
import Testing

/// Parses rendered pages with html5lib in strict mode (it raises on any parse error) and checks that every id is
/// unique and every `aria-labelledby` points at an element of the page.
@Suite(.ownThreads) struct WellFormednessTests {
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
        // html5lib comes from `make test`'s bootstrap (scripts/install-test-tools.sh); a missing one fails here.
        let output = try python(["-c", Self.checker] + paths)
        #expect(output.hasPrefix("ok \(pages.count)"), "\(output)")
    }
}
