/// The ability CSV format, `user_id,theta,se`.
public enum AbilitiesCSV {
    public static func format(learnerIDs: [String], abilities: [AbilityEstimate]) -> String {
        var out = "user_id,theta,se\n"
        for (id, ability) in zip(learnerIDs, abilities) {
            out += "\(CSVText.escape(id)),\(ability.theta),\(ability.se)\n"
        }
        return out
    }

    /// Known abilities (e.g. the truth of a simulation), `se` 0.
    public static func format(learnerIDs: [String], thetas: [Double]) -> String {
        format(learnerIDs: learnerIDs, abilities: thetas.map { AbilityEstimate(theta: $0, se: 0) })
    }
}
