import UTCTime

/// One learner's ability estimates around a feature range, and the per-day improvement (`I_t` as of that day) derived
/// from them and the learner's daily counts.
struct LearnerDailyHistory {
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

    /// `I_t` as of `day`, by the same formula as the weekly KPIs; `counts` gives the learner's attempts and correct
    /// ones in a window.
    func improvement(asOf day: Day, counts: (TimeWindow) -> (attempts: Int, correct: Int)) -> Double? {
        let recent = TimeWindow(endingOn: day, days: 14)
        let previous = recent.previous
        var input = LearnerAggregates()
        (input.recentAttempts, input.recentCorrect) = counts(recent)
        (input.previousAttempts, input.previousCorrect) = counts(previous)
        input.recentAbility = latestAbility(from: recent.firstDay, to: recent.lastDay)
        input.previousAbility = latestAbility(from: previous.firstDay, to: previous.lastDay)
        return KPIFormulas.improvement(input)
    }
}
