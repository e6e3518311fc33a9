import JSON
import Postgres
import UTCTime

/// A known item (in `items` or calibrated): its topic and anchor flag, its most recent calibrated parameters (nil
/// fields when never calibrated), and the parameters stored in `items`.
public struct ItemRow: Sendable, Equatable {
    public var itemID: String
    public var topicID: String?
    public var anchor: Bool
    public var model: String?
    /// The latest calibration's parameters with standard errors; nil when never calibrated.
    public var params: JSONValue?
    public var version: String?
    public var responseCount: Int?
    public var fittedAt: Timestamp?
    public var runID: Int64?
    /// The day whose data the latest calibration used; nil when never calibrated.
    public var asOf: Day?
    /// The parameters in `items` (set for anchors and by calibrations that update items).
    public var a: Double?
    public var b: Double?
    public var c: Double?

    init(row: PostgresRow) throws {
        itemID = try row.decode(0)
        topicID = try row.decode(1)
        anchor = try row.decode(2)
        model = try row.decode(3)
        params = try row.decode(4)
        version = try row.decode(5)
        responseCount = try row.decode(6)
        fittedAt = try row.decode(7)
        runID = try row.decode(8)
        a = try row.decode(9)
        b = try row.decode(10)
        c = try row.decode(11)
        asOf = try row.decode(12)
    }
}

/// One past calibration of an item, from `mirt_item_params_history`.
public struct ItemHistoryRow: Sendable, Equatable {
    public var model: String
    public var params: JSONValue
    public var version: String
    public var responseCount: Int64
    public var fittedAt: Timestamp
    public var runID: Int64
    /// The day whose data the calibration used.
    public var asOf: Day

    init(row: PostgresRow) throws {
        model = try row.decode(0)
        params = try row.decode(1)
        version = try row.decode(2)
        responseCount = try row.decode(3)
        fittedAt = try row.decode(4)
        runID = try row.decode(5)
        asOf = try row.decode(6)
    }
}

/// Reads of the items and their calibrated parameters.
public enum ItemReads {
    /// Every known item with its topic, anchor flag and most recent parameters (the latest `as_of`, then run).
    static let listing: PostgresQuery = """
        SELECT k.item_id, i.topic_id, COALESCE(i.anchor, false), p.model, p.params, p.version, p.n_responses,
            p.fitted_at, p.run_id, i.a, i.b, i.c, p.as_of
        FROM (SELECT item_id FROM items UNION SELECT item_id FROM mirt_item_params) k
        LEFT JOIN items i ON i.item_id = k.item_id
        LEFT JOIN LATERAL (
            SELECT * FROM mirt_item_params m WHERE m.item_id = k.item_id ORDER BY m.as_of DESC, m.run_id DESC LIMIT 1
        ) p ON true
        """

    /// Items in id order, optionally of one topic, optionally only those whose latest calibration flagged their fit
    /// (`params.fit.flagged`), `limit` after the item `after` (exclusive).
    public static func items(
        topic: String?, after: String?, limit: Int, flaggedOnly: Bool = false, _ connection: PostgresConnection
    ) throws -> [ItemRow] {
        try connection.query(
            """
            \(listing) WHERE (\(topic)::text IS NULL OR i.topic_id = \(topic))
            AND (\(after)::text IS NULL OR k.item_id > \(after))
            AND (NOT \(flaggedOnly)::bool OR COALESCE((p.params->'fit'->>'flagged')::boolean, false))
            ORDER BY k.item_id LIMIT \(limit)
            """
        ).rows.map(ItemRow.init(row:))
    }

    /// One item, nil when unknown.
    public static func item(_ id: String, _ connection: PostgresConnection) throws -> ItemRow? {
        try connection.query("\(listing) WHERE k.item_id = \(id)").first.map(ItemRow.init(row:))
    }

    /// An item's past calibrations, newest `as_of` first (ties: the latest run first).
    public static func history(of id: String, limit: Int, _ connection: PostgresConnection) throws -> [ItemHistoryRow] {
        try connection.query(
            """
            SELECT model, params, version, n_responses, fitted_at, run_id, as_of FROM mirt_item_params_history
            WHERE item_id = \(id) ORDER BY as_of DESC, run_id DESC LIMIT \(limit)
            """
        ).rows.map(ItemHistoryRow.init(row:))
    }
}
