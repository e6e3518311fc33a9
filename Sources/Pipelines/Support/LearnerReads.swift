import Postgres

/// Whether a learner id is known to any stage.
public enum LearnerReads {
    /// Whether `user` has any attempt, KPI week or ability.
    public static func exists(_ user: String, _ connection: PostgresConnection) throws -> Bool {
        try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM attempts WHERE user_id = \(user))
                OR EXISTS (SELECT 1 FROM weekly_kpi WHERE user_id = \(user))
                OR EXISTS (SELECT 1 FROM mirt_ability WHERE user_id = \(user))
            """
        )[0].decode(0)
    }
}
