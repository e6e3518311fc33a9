import Postgres

/// The topic of each calibrated item, from `items` (`nil` for items without one), for per-topic information and
/// reliability in the fit metadata.
enum ItemTopics {
    static func load(_ connection: PostgresConnection, ids: [String]) throws -> [String?] {
        var index: [String: Int] = [:]
        for (position, id) in ids.enumerated() { index[id] = position }
        var topics = [String?](repeating: nil, count: ids.count)
        for row in try connection.query("SELECT item_id, topic_id FROM items WHERE topic_id IS NOT NULL").rows {
            guard let position = index[try row.decode(0)] else { continue }
            topics[position] = try row.decode(1)
        }
        return topics
    }
}
