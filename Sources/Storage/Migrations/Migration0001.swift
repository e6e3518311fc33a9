extension Migrations {
    /// The tables of SPEC §2. Ids use the "C" collation: byte order is stable across machines and fast to sort.
    static let initialSchema = """
        CREATE TABLE attempts (
            user_id text COLLATE "C" NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 128),
            answered_at timestamptz NOT NULL,
            item_id text COLLATE "C" NOT NULL CHECK (char_length(item_id) BETWEEN 1 AND 128),
            correct boolean NOT NULL,
            response_time_ms integer CHECK (response_time_ms >= 0),
            hints integer CHECK (hints >= 0),
            topic_id text COLLATE "C" CHECK (char_length(topic_id) BETWEEN 1 AND 128),
            session_id text COLLATE "C" CHECK (char_length(session_id) BETWEEN 1 AND 128),
            ingested_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, answered_at, item_id)
        );
        COMMENT ON TABLE attempts IS 'One row per answer; the key (user_id, answered_at, item_id) makes re-sends no-ops.';
        CREATE INDEX attempts_by_answered_at ON attempts (answered_at);
        CREATE INDEX attempts_by_item ON attempts (item_id, answered_at);

        CREATE TABLE items (
            item_id text COLLATE "C" PRIMARY KEY CHECK (char_length(item_id) BETWEEN 1 AND 128),
            topic_id text COLLATE "C" CHECK (char_length(topic_id) BETWEEN 1 AND 128),
            anchor boolean NOT NULL DEFAULT false,
            a double precision CHECK (a > 0 AND a <= 10),
            b double precision CHECK (b BETWEEN -10 AND 10),
            c double precision CHECK (c >= 0 AND c < 1),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CHECK (NOT anchor OR (a IS NOT NULL AND b IS NOT NULL AND c IS NOT NULL))
        );
        CREATE INDEX items_by_topic ON items (topic_id, item_id);

        CREATE TABLE learner_goals (
            user_id text COLLATE "C" PRIMARY KEY CHECK (char_length(user_id) BETWEEN 1 AND 128),
            target_theta double precision NOT NULL CHECK (target_theta BETWEEN -10 AND 10),
            updated_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE pipeline_runs (
            run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            stage text NOT NULL,
            params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
            status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
            counts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(counts) = 'object'),
            error text,
            dry_run boolean NOT NULL DEFAULT false,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            CHECK ((status = 'running') = (finished_at IS NULL)),
            CHECK (status <> 'failed' OR error IS NOT NULL)
        );
        CREATE INDEX pipeline_runs_by_stage ON pipeline_runs (stage, run_id DESC);
        CREATE INDEX pipeline_runs_running ON pipeline_runs (stage) WHERE status = 'running';

        CREATE TABLE weekly_kpi (
            user_id text COLLATE "C" NOT NULL CHECK (char_length(user_id) BETWEEN 1 AND 128),
            week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
            kpis jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(kpis) = 'object'),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, week_start)
        );
        CREATE INDEX weekly_kpi_by_week ON weekly_kpi (week_start, user_id);

        CREATE TABLE features_topic_daily (
            user_id text COLLATE "C" NOT NULL,
            topic_id text COLLATE "C" NOT NULL,
            date date NOT NULL,
            attempts integer NOT NULL CHECK (attempts > 0),
            correct integer NOT NULL CHECK (correct BETWEEN 0 AND attempts),
            avg_time_ms double precision CHECK (avg_time_ms >= 0),
            rt_median double precision CHECK (rt_median >= 0),
            hints integer NOT NULL CHECK (hints BETWEEN 0 AND attempts),
            theta_estimate double precision,
            theta_sd double precision CHECK (theta_sd >= 0),
            improvement double precision CHECK (improvement BETWEEN -1 AND 1),
            last_seen_at timestamptz NOT NULL,
            computed_at timestamptz NOT NULL DEFAULT now(),
            run_id bigint REFERENCES pipeline_runs (run_id),
            PRIMARY KEY (user_id, topic_id, date)
        );
        COMMENT ON COLUMN features_topic_daily.topic_id IS 'The attempt''s topic, else the item''s; empty when neither has one.';
        CREATE INDEX features_topic_daily_by_date ON features_topic_daily (date);

        CREATE TABLE mirt_fit_meta (
            run_id bigint PRIMARY KEY REFERENCES pipeline_runs (run_id),
            model_spec jsonb NOT NULL,
            metrics jsonb NOT NULL,
            fitted_at timestamptz NOT NULL
        );

        CREATE TABLE mirt_item_params (
            item_id text COLLATE "C" NOT NULL,
            version text NOT NULL CHECK (char_length(version) BETWEEN 1 AND 64),
            model text NOT NULL CHECK (model IN ('1PL', '2PL', '3PL')),
            params jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
            n_responses integer NOT NULL CHECK (n_responses >= 0),
            run_id bigint NOT NULL REFERENCES pipeline_runs (run_id),
            fitted_at timestamptz NOT NULL,
            PRIMARY KEY (item_id, version)
        );
        CREATE TABLE mirt_item_params_history (LIKE mirt_item_params INCLUDING ALL);
        ALTER TABLE mirt_item_params_history DROP CONSTRAINT mirt_item_params_history_pkey;
        ALTER TABLE mirt_item_params_history ADD PRIMARY KEY (run_id, item_id);
        ALTER TABLE mirt_item_params_history ADD FOREIGN KEY (run_id) REFERENCES pipeline_runs (run_id);
        CREATE INDEX mirt_item_params_history_by_item ON mirt_item_params_history (item_id, fitted_at DESC);

        CREATE TABLE mirt_ability (
            user_id text COLLATE "C" NOT NULL,
            version text NOT NULL CHECK (char_length(version) BETWEEN 1 AND 64),
            theta double precision NOT NULL CHECK (theta BETWEEN -20 AND 20),
            se double precision NOT NULL CHECK (se >= 0 AND se < 'Infinity'),
            model text NOT NULL CHECK (model IN ('1PL', '2PL', '3PL')),
            run_id bigint NOT NULL REFERENCES pipeline_runs (run_id),
            fitted_at timestamptz NOT NULL,
            PRIMARY KEY (user_id, version)
        );
        CREATE TABLE mirt_ability_history (LIKE mirt_ability INCLUDING ALL);
        ALTER TABLE mirt_ability_history DROP CONSTRAINT mirt_ability_history_pkey;
        ALTER TABLE mirt_ability_history ADD PRIMARY KEY (user_id, run_id);
        ALTER TABLE mirt_ability_history ADD FOREIGN KEY (run_id) REFERENCES pipeline_runs (run_id);
        CREATE INDEX mirt_ability_history_by_user ON mirt_ability_history (user_id, fitted_at DESC);

        CREATE TABLE learner_activity (
            user_id text COLLATE "C" PRIMARY KEY,
            last_active_at timestamptz NOT NULL,
            inactive_since timestamptz,
            days_inactive integer NOT NULL CHECK (days_inactive >= 0),
            status text NOT NULL CHECK (status IN ('active', 'inactive', 'dormant')),
            detected_at timestamptz NOT NULL,
            notified_at timestamptz,
            CHECK ((status = 'active') = (inactive_since IS NULL))
        );
        CREATE INDEX learner_activity_inactive ON learner_activity (days_inactive, user_id) WHERE status = 'inactive';

        CREATE TABLE report_artifacts (
            user_id text COLLATE "C" NOT NULL,
            week_start date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
            format text NOT NULL CHECK (format IN ('html')),
            content bytea NOT NULL,
            sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            size_bytes integer NOT NULL CHECK (size_bytes >= 0),
            url text,
            run_id bigint REFERENCES pipeline_runs (run_id),
            generated_at timestamptz NOT NULL,
            PRIMARY KEY (user_id, week_start, format)
        );
        COMMENT ON COLUMN report_artifacts.content IS 'gzip-compressed HTML; sha256 and size_bytes are of the HTML itself.';
        """
}
