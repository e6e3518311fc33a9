import Reports
import Testing

/// One row of the advice table: this week's values and what the advice must and must not say.
struct AdviceCase: CustomTestStringConvertible, Sendable {
    var name: String
    var values: [KPI: Double]
    /// The levels of the advice, in order.
    var levels: [AdviceLevel]
    /// Text that some piece of advice must contain.
    var mentions: [String] = []

    var testDescription: String { name }
}

@Suite struct AdvisorRulesTests {
    static let cases: [AdviceCase] = [
        AdviceCase(
            name: "high churn with high improvement is a warning, never praise",
            values: [.churnRisk: 0.72, .improvement: 0.30, .engagement: 0.9, .goalProbability: 0.95],
            levels: [.warning], mentions: ["High risk of stopping", "churn risk 72%"]),
        AdviceCase(
            name: "falling improvement is a warning",
            values: [.improvement: -0.12, .engagement: 0.9, .recovery: 0.9],
            levels: [.warning], mentions: ["performance is falling", "\u{2212}0.12"]),
        AdviceCase(
            name: "all missing says not enough data yet", values: [:], levels: [.info],
            mentions: ["not enough data yet"]),
        AdviceCase(
            name: "a good week is praised",
            values: [
                .improvement: 0.10, .timeEfficiency: 0.20, .recovery: 0.90, .engagement: 0.80, .goalProbability: 0.90,
                .churnRisk: 0.10,
            ],
            levels: Array(repeating: .encouragement, count: 5), mentions: ["improving", "on track for your goal"]),
        AdviceCase(
            name: "moderate churn is a caution and still allows praise",
            values: [.churnRisk: 0.45, .improvement: 0.10], levels: [.caution, .encouragement],
            mentions: ["Some risk of stopping"]),
        AdviceCase(
            name: "churn exactly at the high threshold", values: [.churnRisk: 0.60], levels: [.warning]),
        AdviceCase(
            name: "churn exactly at the moderate threshold", values: [.churnRisk: 0.35], levels: [.caution]),
        AdviceCase(
            name: "improvement exactly at the falling threshold", values: [.improvement: -0.05], levels: [.warning]),
        AdviceCase(
            name: "a small dip is not a warning", values: [.improvement: -0.049], levels: [.info],
            mentions: ["steady week"]),
        AdviceCase(
            name: "low recovery suggests reviewing mistakes", values: [.recovery: 0.30], levels: [.info],
            mentions: ["Review your mistakes", "30%"]),
        AdviceCase(
            name: "low engagement suggests regular short sessions", values: [.engagement: 0.20], levels: [.info],
            mentions: ["regular short sessions"]),
        AdviceCase(
            name: "a low goal probability suggests steps toward the goal", values: [.goalProbability: 0.30],
            levels: [.info], mentions: ["goal probability 30%", "weakest topics"]),
        AdviceCase(
            name: "middling numbers give a neutral note",
            values: [
                .improvement: 0, .timeEfficiency: 0.05, .recovery: 0.6, .engagement: 0.5, .goalProbability: 0.6,
                .churnRisk: 0.2,
            ],
            levels: [.info], mentions: ["steady week"]),
        AdviceCase(
            name: "warnings come first",
            values: [.recovery: 0.2, .improvement: -0.2, .churnRisk: 0.9, .engagement: 0.1],
            levels: [.warning, .warning, .info, .info]),
    ]

    @Test(arguments: cases)
    func adviceFollowsTheNumbers(_ example: AdviceCase) {
        let advice = AdvisorRules.advice(for: Fixtures.thisWeek(example.values))
        #expect(advice.map(\.level) == example.levels)
        let text = advice.map(\.text).joined(separator: " ").lowercased()
        for mention in example.mentions {
            #expect(text.contains(mention.lowercased()), "\(mention)")
        }
        #expect(!text.contains("great progress"))
    }

    @Test func praiseNeverAccompaniesAWarningAndLevelsAreOrdered() {
        let grid = [0.0, 0.2, 0.34, 0.35, 0.5, 0.59, 0.6, 0.8, 1.0]
        let improvements = [-1.0, -0.2, -0.05, -0.01, 0, 0.05, 0.3]
        let order: [AdviceLevel] = [.warning, .caution, .encouragement, .info]
        for churn in grid {
            for improvement in improvements {
                for other in grid {
                    let values: [KPI: Double] = [
                        .churnRisk: churn, .improvement: improvement, .recovery: other, .engagement: other,
                        .goalProbability: other, .timeEfficiency: other,
                    ]
                    let levels = AdvisorRules.advice(for: Fixtures.thisWeek(values)).map(\.level)
                    let warned = churn >= 0.6 || improvement <= -0.05
                    #expect(levels.contains(.warning) == warned)
                    #expect(!(warned && levels.contains(.encouragement)))
                    let ranks = levels.map { order.firstIndex(of: $0)! }
                    #expect(ranks == ranks.sorted())
                }
            }
        }
    }

    @Test func onlyThisWeekCounts() {
        // Values from earlier weeks only: this week is missing, so there is no advice beyond "not enough data yet".
        var data = Fixtures.data()
        data.kpis = [.churnRisk: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, nil], .improvement: [0.5, nil]]
        let advice = AdvisorRules.advice(for: data)
        #expect(advice.count == 1 && advice[0].level == .info && advice[0].text.contains("not enough data yet"))
    }

    @Test func renderedAdviceCarriesItsLevelInWords() {
        let html = Fixtures.html(Fixtures.thisWeek([.churnRisk: 0.8, .improvement: 0.4]))
        #expect(html.contains("<li class=\"warning\"><strong>Warning:</strong> High risk of stopping"))
        #expect(!html.contains("class=\"encouragement\""))
        #expect(!html.contains("Well done"))
    }
}
