import JSON
import Postgres
import UTCTime

/// One calibration's fit metadata, from `mirt_fit_meta`.
public struct CalibrationRow: Sendable, Equatable {
    public var runID: Int64
    public var fittedAt: Timestamp
    public var modelSpec: JSONValue
    public var metrics: JSONValue

    static let columns: PostgresQuery = "run_id, fitted_at, model_spec, metrics"

    init(row: PostgresRow) throws {
        runID = try row.decode(0)
        fittedAt = try row.decode(1)
        modelSpec = try row.decode(2)
        metrics = try row.decode(3)
    }
}

/// Reads of the calibrations' fit metadata.
public enum CalibrationReads {
    /// Calibrations newest first, `limit` before the run `before` (exclusive).
    public static func calibrations(before: Int64?, limit: Int, _ connection: PostgresConnection) throws
        -> [CalibrationRow]
    {
        try connection.query(
            """
            SELECT \(CalibrationRow.columns) FROM mirt_fit_meta
            WHERE (\(before)::int8 IS NULL OR run_id < \(before)) ORDER BY run_id DESC LIMIT \(limit)
            """
        ).rows.map(CalibrationRow.init(row:))
    }

    /// One calibration, nil when there is none with that run id.
    public static func calibration(runID: Int64, _ connection: PostgresConnection) throws -> CalibrationRow? {
        try connection.query("SELECT \(CalibrationRow.columns) FROM mirt_fit_meta WHERE run_id = \(runID)")
            .first.map(CalibrationRow.init(row:))
    }
}
