extension Migrations {
    /// The parameters demo data was generated from, so that calibration can be checked against the truth.
    static let demoTruth = """
        CREATE TABLE demo_item_truth (
            item_id text COLLATE "C" PRIMARY KEY,
            topic_id text COLLATE "C" NOT NULL,
            a double precision NOT NULL,
            b double precision NOT NULL,
            c double precision NOT NULL,
            anchor boolean NOT NULL
        );
        CREATE TABLE demo_learner_truth (
            user_id text COLLATE "C" PRIMARY KEY,
            theta_start double precision NOT NULL,
            theta_growth_per_week double precision NOT NULL,
            churn_day date
        );
        """
}
