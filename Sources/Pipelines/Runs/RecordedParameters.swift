import Hashing
import JSON

/// The parameters a run records in `pipeline_runs.params`: the effective ones, with each long list of ids replaced by
/// a summary, so that a run over 100,000 users does not make every page of `/v1/runs` a megabyte. The run itself
/// still uses every id; only the record is summarised.
///
/// A list of more than `maximumListedIDs` ids becomes `{"count": N, "sha256": "<hex>", "first": [...]}`: the hash is
/// over the ids sorted by their UTF-8 bytes (as `LC_ALL=C sort` orders them) and joined by `\n`, so a client can check
/// which set a run used; `first` holds the first `firstIDs` ids in that order.
public enum RecordedParameters {
    public static let maximumListedIDs = 20
    public static let firstIDs = 10

    /// `parameters` with every list of more than `maximumListedIDs` strings summarised.
    public static func compact(_ parameters: JSONObject) -> JSONObject {
        JSONObject(
            parameters.members.map { member in
                guard let ids = idList(member.value), ids.count > maximumListedIDs else {
                    return (member.key, member.value)
                }
                return (member.key, summary(ids))
            })
    }

    /// The summary of a list of ids.
    public static func summary(_ ids: [String]) -> JSONValue {
        let sorted = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return .object(
            JSONObject([
                ("count", .int(Int64(ids.count))),
                ("sha256", .string(SHA256.hexDigest(Array(sorted.joined(separator: "\n").utf8)))),
                ("first", .array(sorted.prefix(firstIDs).map(JSONValue.string))),
            ]))
    }

    /// The strings of an array made only of strings.
    private static func idList(_ value: JSONValue) -> [String]? {
        guard let array = value.arrayValue else { return nil }
        var ids: [String] = []
        ids.reserveCapacity(array.count)
        for element in array {
            guard let id = element.stringValue else { return nil }
            ids.append(id)
        }
        return ids
    }
}
