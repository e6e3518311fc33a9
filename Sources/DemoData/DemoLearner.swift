import IRT
import UTCTime

/// A simulated learner: an ability that grows week by week, a habit of practising on some days, and for some a
/// day on which they stop (churn).
struct DemoLearner {
    let id: String
    let thetaStart: Double
    let growthPerWeek: Double
    let practiceProbability: Double
    let favouriteTopics: [Int]
    let churnDay: Day?

    static func generate(index: Int, options: DemoDataOptions, random: inout SeededGenerator) -> DemoLearner {
        let firstDay = options.lastDay.advanced(by: -(options.days - 1))
        let topicCount = options.topicCount
        let favourites = (0..<min(3, topicCount)).map { _ in random.index(below: topicCount) }
        var churnDay: Day?
        if random.uniform() < 0.2 {
            churnDay = firstDay.advanced(by: Int(Double(options.days) * random.uniform(0.3, 0.95)))
        }
        return DemoLearner(
            id: "u" + String(repeating: "0", count: max(0, 6 - String(index + 1).count)) + String(index + 1),
            thetaStart: random.normal(), growthPerWeek: 0.04 + 0.03 * random.normal(),
            practiceProbability: random.uniform(0.3, 0.9), favouriteTopics: favourites, churnDay: churnDay)
    }

    /// Ability on a day counted from the first day of the data.
    func theta(onDay day: Int) -> Double {
        thetaStart + growthPerWeek * Double(day) / 7
    }
}
