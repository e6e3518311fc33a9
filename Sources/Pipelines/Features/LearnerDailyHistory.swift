import UTCTime

/// One learner's daily attempt counts and ability estimates around a feature range, from which the per-day
/// improvement (`I_t` as of that day) and the latest ability before each day's end are derived.
struct LearnerDailyHistory {
    /// Attempts and correct ones per day.
    var days: [Day: (attempts: Int, correct: Int)] = [:]
    /// Ability estimates, by `as_of` then run once `sort()` ran.
    var abilities: [AbilityEstimateRow] = []

    mutating func sort() {
        abilities.sort { ($0.asOf, $0.runID) < ($1.asOf, $1.runID) }
    }

    /// The estimate with the latest `as_of` in `[from, to]` (ties: the latest run).
    func latestAbility(from: Day?, to: Day) -> AbilityEstimateRow? {
        abilities.last { estimate in
            estimate.asOf <= to && (from.map { estimate.asOf >= $0 } ?? true)
        }
    }

    func counts(in window: TimeWindow) -> (attempts: Int, correct: Int) {
        var total = (attempts: 0, correct: 0)
        var day = window.firstDay
        while day <= window.lastDay {
            if let value = days[day] {
                total.attempts += value.attempts
                total.correct += value.correct
            }
            day = day.advanced(by: 1)
        }
        return total
    }

    /// `I_t` as of `day`, by the same formula as the weekly KPIs.
    func improvement(asOf day: Day) -> Double? {
        let recent = TimeWindow(endingOn: day, days: 14)
        let previous = recent.previous
        var input = LearnerAggregates()
        (input.recentAttempts, input.recentCorrect) = counts(in: recent)
        (input.previousAttempts, input.previousCorrect) = counts(in: previous)
        input.recentAbility = latestAbility(from: recent.firstDay, to: recent.lastDay)
        input.previousAbility = latestAbility(from: previous.firstDay, to: previous.lastDay)
        return KPIFormulas.improvement(input)
    }
}
