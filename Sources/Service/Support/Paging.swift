import JSON

/// A page of a list: the items and the cursor of the next page (null on the last page).
enum Paging {
    static func page(
        _ items: [JSONValue], key: String = "items", nextCursor: [String]?, extra: JSONObject = JSONObject()
    )
        -> JSONValue
    {
        var object = extra
        object[key] = .array(items)
        object["next_cursor"] = .optional(nextCursor.map(Cursor.encode))
        return .object(object)
    }
}
