extension Migrations {
    /// Report contents are gzip already: PostgreSQL's own compression (pglz) tried each one and gave up, 6% of the
    /// database's CPU during `generate-weekly-report` on the bench data. `EXTERNAL` stores them as they come, and rows
    /// up to a page (`toast_tuple_target`) stay in the table instead of being moved out of line (a report is about
    /// 3 KB gzipped; larger ones still go to the TOAST table, uncompressed).
    static let reportContentsAsTheyCome = """
        ALTER TABLE report_artifacts ALTER COLUMN content SET STORAGE EXTERNAL;
        ALTER TABLE report_artifacts SET (toast_tuple_target = 8160);
        """
}
