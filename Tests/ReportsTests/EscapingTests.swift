import Reports
import Testing

@Suite struct EscapingTests {
    static let attack = "<script>alert(1)</script>"

    @Test func specialCharactersBecomeReferences() {
        #expect(HTMLEscaping.escape(Self.attack) == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTMLEscaping.escape("Tom & \"Jerry\" 'x'") == "Tom &amp; &quot;Jerry&quot; &#39;x&#39;")
        #expect(HTMLEscaping.escape("&amp;") == "&amp;amp;")
        #expect(HTMLEscaping.escape("plain-id_42") == "plain-id_42")
        #expect(HTMLEscaping.escape("") == "")
    }

    @Test func textOutsideASCIIIsKeptAndForbiddenCharactersAreReplaced() {
        #expect(HTMLEscaping.escape("Mathématiques θ <1>") == "Mathématiques θ &lt;1&gt;")
        #expect(HTMLEscaping.escape("a\u{0}b\u{7}c\u{85}d\u{FFFF}e") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e")
        #expect(HTMLEscaping.escape("tab\tline\nend") == "tab\tline\nend")
    }

    @Test func aScriptAsLearnerIDRendersAsText() {
        let html = Fixtures.html(Fixtures.data(user: Self.attack))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains(Self.attack))
        #expect(
            html.contains("<title>Weekly report: &lt;script&gt;alert(1)&lt;/script&gt;, week of 2026-11-23</title>"))
        #expect(html.contains("Learner <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>"))
    }

    @Test func aScriptAsTopicRendersAsText() {
        let topics = [
            TopicAccuracy(topicID: Self.attack, attempts: 10, correct: 4),
            TopicAccuracy(topicID: "R&D \"quotes\" 'single'", attempts: 5, correct: 5),
        ]
        let html = Fixtures.html(Fixtures.data(topics: topics))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains(Self.attack))
        #expect(Fixtures.count("&lt;script&gt;alert(1)&lt;/script&gt;", in: html) == 2)  // chart label and description
        #expect(html.contains("R&amp;D &quot;quotes&quot; &#39;single&#39;"))
        #expect(!html.contains("R&D"))
    }

    @Test func longTopicNamesAreShortenedInTheChartOnly() {
        let name = String(repeating: "long<name>", count: 10)
        let html = Fixtures.html(Fixtures.data(topics: [TopicAccuracy(topicID: name, attempts: 4, correct: 2)]))
        #expect(html.contains(HTMLEscaping.escape(name)))  // the description keeps it whole
        #expect(html.contains(HTMLEscaping.escape(String(name.prefix(27))) + "…</text>"))
    }
}
