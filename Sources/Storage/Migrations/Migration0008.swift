extension Migrations {
    /// Every output row records the day it was computed as of (SPEC §3): `weekly_kpi`, the item parameters, the
    /// abilities and their histories. Rows written before this migration get the UTC day they were written on (the
    /// KPIs' capped to their week, since a run never computes a week as of a later day), and lookups of earlier
    /// results select by `as_of` through the new indexes.
    static let asOfDays = """
        ALTER TABLE weekly_kpi ADD COLUMN as_of date;
        UPDATE weekly_kpi
        SET as_of = GREATEST(week_start, LEAST((updated_at AT TIME ZONE 'UTC')::date, week_start + 6));
        ALTER TABLE weekly_kpi ALTER COLUMN as_of SET NOT NULL,
            ADD CONSTRAINT weekly_kpi_as_of_in_week CHECK (as_of BETWEEN week_start AND week_start + 6);

        ALTER TABLE mirt_item_params ADD COLUMN as_of date;
        UPDATE mirt_item_params SET as_of = (fitted_at AT TIME ZONE 'UTC')::date;
        ALTER TABLE mirt_item_params ALTER COLUMN as_of SET NOT NULL;
        ALTER TABLE mirt_item_params_history ADD COLUMN as_of date;
        UPDATE mirt_item_params_history SET as_of = (fitted_at AT TIME ZONE 'UTC')::date;
        ALTER TABLE mirt_item_params_history ALTER COLUMN as_of SET NOT NULL;
        CREATE INDEX mirt_item_params_history_by_as_of ON mirt_item_params_history (item_id, as_of DESC, run_id DESC);

        ALTER TABLE mirt_ability ADD COLUMN as_of date;
        UPDATE mirt_ability SET as_of = (fitted_at AT TIME ZONE 'UTC')::date;
        ALTER TABLE mirt_ability ALTER COLUMN as_of SET NOT NULL;
        ALTER TABLE mirt_ability_history ADD COLUMN as_of date;
        UPDATE mirt_ability_history SET as_of = (fitted_at AT TIME ZONE 'UTC')::date;
        ALTER TABLE mirt_ability_history ALTER COLUMN as_of SET NOT NULL;
        CREATE INDEX mirt_ability_history_by_as_of ON mirt_ability_history (user_id, as_of DESC, run_id DESC);
        """
}
