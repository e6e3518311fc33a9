import Reports
import Testing
import UTCTime

@Suite struct RenderingTests {
    @Test func pageIsSelfContainedAndStructured() {
        let html = Fixtures.html(Fixtures.data())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"))
        for part in [
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", "<title>", "<style>",
            "@media (prefers-color-scheme: dark)", "@media print", "@page { size: A4; margin: 15mm }", "<main>",
            "<h1>", "<table>", "<th scope=\"col\">", "</html>",
        ] {
            #expect(html.contains(part), "\(part)")
        }
        #expect(Fixtures.count("<th scope=\"row\">", in: html) == 6)
        #expect(Fixtures.count("<h2>", in: html) == 5)
        for forbidden in ["<script", "http://", "https://", "@import", "url(", "<link", "<img", "@font-face"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
        }
        // Every chart is an image with a title and a description as its text alternative: 6 sparklines + 3 charts.
        let charts = Fixtures.count("<svg ", in: html)
        #expect(charts == 9)
        #expect(Fixtures.count("role=\"img\" aria-labelledby=\"", in: html) == charts)
        #expect(Fixtures.count("<title id=\"", in: html) == charts)
        #expect(Fixtures.count("<desc id=\"", in: html) == charts)
    }

    @Test func weekDatesAreShown() {
        let html = Fixtures.html(Fixtures.data())
        #expect(html.contains("Week 2026-W48: <time datetime=\"2026-11-23\">Mon 23 Nov 2026</time> to "))
        #expect(html.contains("<time datetime=\"2026-11-29\">Sun 29 Nov 2026</time> (UTC)"))
        #expect(html.contains("Generated 2026-11-30T04:00:00Z"))
        #expect(html.contains("Mon 2026-11-23: 12 answers, 9 correct"))
        #expect(html.contains("This week: 48 answers, 34 correct (71%)."))
    }

    @Test func noAbilityHistoryShowsNotEnoughData() {
        let html = Fixtures.html(Fixtures.data(ability: []))
        #expect(html.contains("Ability: not enough data yet."))
        #expect(!html.contains("aria-labelledby=\"abt abd\""))
        // Estimates without a finite θ do not count.
        let broken = [AbilityPoint(fittedAt: Fixtures.generatedAt, theta: .nan, se: 0.3)]
        #expect(Fixtures.html(Fixtures.data(ability: broken)).contains("Ability: not enough data yet."))
    }

    @Test func abilityTrendHasABandAndASummary() {
        let html = Fixtures.html(Fixtures.data())
        #expect(html.contains("<path class=\"bd\" d=\"M"))
        #expect(html.contains("30 estimates from 2026-08-25 to 2026-11-20. Latest θ 0.47 ± 0.21"))
        #expect(html.contains("Latest estimate (2026-11-20): θ = 0.47 ± 0.21. Change since 2026-08-25: +0.87."))
        let one = Fixtures.html(Fixtures.data(ability: [Fixtures.ability[0]]))
        #expect(one.contains("One estimate, on 2026-08-25: θ \u{2212}0.40 ± 0.50."))
        // A long history is thinned, not drawn point by point.
        let long = (0..<1000).map {
            AbilityPoint(fittedAt: Fixtures.generatedAt.adding(days: $0 - 1000), theta: Double($0 % 7) / 7, se: 0.3)
        }
        let thinned = Fixtures.html(Fixtures.data(ability: long))
        #expect(thinned.contains("1000 estimates"))
        #expect(
            Fixtures.count("L", in: thinned.split(separator: "<path class=\"ln\" d=\"").last!.prefix { $0 != "\"" })
                < 60)
    }

    @Test func noTopicDataShowsNotEnoughData() {
        for topics in [[], [TopicAccuracy(topicID: "algebra", attempts: 0, correct: 0)]] {
            let html = Fixtures.html(Fixtures.data(topics: topics))
            #expect(html.contains("Accuracy per topic: not enough data yet this week."))
            #expect(!html.contains("aria-labelledby=\"tpt tpd\""))
        }
    }

    @Test func topicsAreListedMostAnsweredFirst() {
        let html = Fixtures.html(Fixtures.data())
        #expect(
            html.contains(
                "Share of correct answers per topic: fractions 72% · 18 of 25; algebra 50% · 6 of 12; "
                    + "geometry 100% · 8 of 8; (no topic) 33% · 1 of 3."))
        let many = (0..<20).map { TopicAccuracy(topicID: "topic \($0)", attempts: 40 - $0, correct: 10) }
        #expect(Fixtures.html(Fixtures.data(topics: many)).contains("8 more topics with 196 answers not shown."))
    }

    @Test func missingKPIValuesAreNeverShownAsZero() {
        // Every KPI missing this week, with values in earlier weeks.
        var kpis: [KPI: [Double?]] = [:]
        for kpi in KPI.allCases { kpis[kpi] = [0.4, nil, 0.6, nil, nil, nil, 0.5, nil] }
        let html = Fixtures.html(Fixtures.data(kpis: kpis))
        for kpi in KPI.allCases {
            let row = Fixtures.row(of: kpi, in: html)
            #expect(row.contains("<td class=\"na\">not enough data yet</td><td class=\"na\">not enough data yet</td>"))
            for zero in [">0%", ">0.00", "+0.00", " 0%", ": 0%", ": 0.00"] {
                #expect(!row.contains(zero), "\(kpi) \(zero)")
            }
            // Lone weeks are dots; missing weeks break the line and are described as missing.
            #expect(!row.contains("<path"))
            #expect(Fixtures.count("<circle", in: row) == 3)
            #expect(row.contains("week of 2026-11-23: not enough data yet"))
        }
        // A KPI missing every week has no sparkline at all.
        let empty = Fixtures.html(Fixtures.data(kpis: [:]))
        let row = Fixtures.row(of: .recovery, in: empty)
        #expect(!row.contains("<svg") && Fixtures.count("not enough data yet", in: row) == 3)
        #expect(
            Fixtures.html(Fixtures.data(kpis: [.recovery: Array(repeating: .nan, count: 8)])).contains(
                "<td class=\"na\">not enough data yet</td>"))
    }

    @Test func aWeekWithoutAnswersSaysSo() {
        let html = Fixtures.html(Fixtures.data(days: []))
        #expect(html.contains("<p>No answers this week.</p>"))
        #expect(html.contains("Sun 2026-11-29: 0 answers, 0 correct."))
    }

    @Test func garbageNumbersNeitherTrapNorLeak() {
        let html = Fixtures.html(Fixtures.hostile())
        #expect(!html.contains("nan") && !html.contains("infinity") && !html.contains(" inf"))
        #expect(html.contains("Mon 2026-11-23: 7 answers, 5 correct"))  // correct capped at attempts, per entry
        #expect(html.contains("Thu 2026-11-26: 0 answers, 0 correct"))
        #expect(Fixtures.row(of: .churnRisk, in: html).contains("<td class=\"na\">not enough data yet</td>"))
    }

    /// A typical report stays well under 40 KB of HTML. (Its speed is measured by `make bench`'s reports section, not
    /// here: a timed unit test measures whatever else the machine is doing.)
    @Test func aTypicalReportStaysSmall() {
        let bytes = ReportRenderer.render(Fixtures.data()).count
        #expect(bytes < 40_000, "\(bytes) bytes")
    }
}
