import JSON
import Postgres

/// What an items request did.
public struct ItemUpsertResult: Sendable, Equatable {
    public var received: Int
    public var inserted: Int
    public var updated: Int
}

/// Upserts items in one statement: new items are inserted, known ones get the new topic, anchor flag and
/// parameters.
public enum ItemStore {
    public static func upsert(_ records: [ItemRecord], into pool: PostgresPool) throws -> ItemUpsertResult {
        let document = JSONValue.array(
            records.map { record in
                [
                    "item_id": .string(record.itemID), "topic_id": .optional(record.topicID),
                    "anchor": .bool(record.anchor), "a": .number(record.a), "b": .number(record.b),
                    "c": .number(record.c),
                ]
            })
        let result = try pool.withTransaction { connection in
            try connection.query(
                """
                INSERT INTO items (item_id, topic_id, anchor, a, b, c)
                SELECT item_id, topic_id, anchor, a, b, c
                FROM jsonb_to_recordset(\(document)::jsonb)
                    AS incoming (item_id text, topic_id text, anchor boolean, a float8, b float8, c float8)
                ON CONFLICT (item_id) DO UPDATE SET
                    topic_id = EXCLUDED.topic_id, anchor = EXCLUDED.anchor,
                    a = COALESCE(EXCLUDED.a, items.a), b = COALESCE(EXCLUDED.b, items.b),
                    c = COALESCE(EXCLUDED.c, items.c), updated_at = now()
                RETURNING (xmax = 0) AS inserted
                """)
        }
        let inserted = try result.rows.filter { try $0.decode(0, as: Bool.self) }.count
        return ItemUpsertResult(received: records.count, inserted: inserted, updated: records.count - inserted)
    }
}
