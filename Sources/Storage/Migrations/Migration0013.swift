extension Migrations {
    /// Room for updates in place in the tables runs rewrite row by row. Each night `aggregate-features-daily` rewrites
    /// the six days before its new one, and `calibrate-irt` every learner's latest ability; with half of each page
    /// free, the new version of a row fits on its page and no index changes (a heap-only update), which costs less
    /// than deleting and inserting the rows again. Pages written before this keep their fill until rewritten.
    static let roomForUpdatesInPlace = """
        ALTER TABLE features_topic_daily SET (fillfactor = 50);
        ALTER TABLE mirt_ability SET (fillfactor = 50);
        """
}
