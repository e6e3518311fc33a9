import Reports
import Testing
import UTCTime

@Suite struct KPIRowTests {
    @Test func kpisHaveTheirRealNamesAndOneLineMeanings() {
        #expect(
            KPI.allCases.map(\.title) == [
                "Improvement", "Time efficiency", "Recovery", "Engagement", "Goal probability", "Churn risk",
            ])
        #expect(KPI.allCases.map(\.rawValue) == ["I_t", "E_t", "R_t", "A_t", "P", "S"])
        for kpi in KPI.allCases {
            #expect(!kpi.meaning.isEmpty && !kpi.meaning.contains("\n"), "\(kpi)")
        }
        #expect(Set(KPI.allCases.map(\.meaning)).count == 6)
        #expect(KPI.churnRisk.meaning.contains("higher is worse"))
        #expect(!KPI.churnRisk.higherIsBetter && KPI.recovery.higherIsBetter)
    }

    @Test(arguments: [
        (KPI.recovery, 0.724 as Double?, "72%"),
        (.churnRisk, 1.0, "100%"),
        (.engagement, 0.004, "0%"),
        (.improvement, 0.123, "+0.12"),
        (.improvement, -0.05, "\u{2212}0.05"),
        (.improvement, 0.001, "0.00"),
        (.goalProbability, nil, "not enough data yet"),
        (.improvement, nil, "not enough data yet"),
        (.timeEfficiency, .nan, "not enough data yet"),
    ])
    func valuesAreFormatted(kpi: KPI, value: Double?, expected: String) {
        #expect(kpi.format(value) == expected)
    }

    @Test(arguments: [
        (KPI.recovery, 0.50 as Double?, 0.53 as Double?, "+3 pts, better", ChangeVerdict.better as ChangeVerdict?),
        (.churnRisk, 0.30, 0.50, "+20 pts, worse", .worse),
        (.churnRisk, 0.50, 0.30, "\u{2212}20 pts, better", .better),
        (.improvement, 0.10, 0.06, "\u{2212}0.04, worse", .worse),
        (.improvement, -0.02, 0.03, "+0.05, better", .better),
        (.engagement, 0.501, 0.499, "no change", .unchanged),
        (.engagement, nil, 0.5, "not enough data yet", nil),
        (.engagement, 0.5, nil, "not enough data yet", nil),
    ])
    func changesAreFromTheDisplayedValues(
        kpi: KPI, previous: Double?, value: Double?, expected: String, verdict: ChangeVerdict?
    ) {
        let row = KPIRow(kpi: kpi, value: value, previous: previous, history: [previous, value])
        #expect(row.changeSummary == expected)
        #expect(row.verdict == verdict)
        #expect((row.change == nil) == (previous == nil || value == nil))
    }

    @Test func rowsComeFromTheWeekAndTheWeekBefore() {
        let rows = Fixtures.data().kpiRows
        #expect(rows.map(\.kpi) == KPI.allCases)
        let recovery = rows[2]
        #expect(recovery.value == 0.74 && recovery.previous == 0.70)
        #expect(recovery.history.count == 8 && recovery.history[2] == nil)
        #expect(recovery.valueText == "74%" && recovery.changeSummary == "+4 pts, better")

        // Without the previous week in `weeks` there is no change, even though an older week has a value.
        var data = Fixtures.data()
        data.weeks = [Fixtures.week.advanced(by: -14), Fixtures.week]
        data.kpis = [.recovery: [0.5, 0.6]]
        let row = data.kpiRows[2]
        #expect(row.value == 0.6 && row.previous == nil && row.changeSummary == "not enough data yet")
        #expect(data.kpiRows[0].value == nil)
    }

    @Test func tableRowsShowNameMeaningValueAndChange() {
        let html = Fixtures.html(Fixtures.data())
        for kpi in KPI.allCases {
            let row = Fixtures.row(of: kpi, in: html)
            #expect(row.contains("<small>\(kpi.meaning)</small>"), "\(kpi)")
        }
        #expect(
            Fixtures.row(of: .churnRisk, in: html).contains(
                "<td>12%</td><td class=\"better\">\u{2212}3 pts, better</td>"))
        #expect(
            Fixtures.row(of: .improvement, in: html).contains("<td>+0.08</td><td class=\"better\">+0.03, better</td>"))
        #expect(Fixtures.row(of: .recovery, in: html).contains("aria-labelledby=\"s2t s2d\""))
        #expect(html.contains("<th scope=\"col\">Change from last week</th>"))
    }
}
