extension Migrations {
    /// Room for updates in place in the tables runs rewrite row by row. Each night `aggregate-features-daily` rewrites
    /// the six days before its new one, and `calibrate-irt` every learner's latest ability; with half of each page
    /// free, the new version of a row fits on its page and no index changes (a heap-only update), which costs less
    /// than deleting and inserting the rows again. Half, because a night rewrites every row of those days: each page
    /// must hold the old and the new version until the old one is pruned the next night. The cost: days past the
    /// six are never rewritten again and stay at half density, so reading a range of old features reads about twice
    /// the pages. Pages written before this keep their fill until rewritten.
    static let roomForUpdatesInPlace = """
        ALTER TABLE features_topic_daily SET (fillfactor = 50);
        ALTER TABLE mirt_ability SET (fillfactor = 50);
        """
}
