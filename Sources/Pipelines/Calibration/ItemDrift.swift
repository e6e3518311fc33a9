import IRT
import JSON

/// Parameter drift between two calibrations of the same items (SPEC §6): an item is flagged when a moved by more
/// than 0.20, b by more than 0.25 or c by more than 0.03.
struct ItemDrift {
    static let thresholds = (a: 0.20, b: 0.25, c: 0.03)

    let itemID: String
    let previous: ItemParameters
    let current: ItemParameters

    var isFlagged: Bool {
        abs(current.a - previous.a) > Self.thresholds.a || abs(current.b - previous.b) > Self.thresholds.b
            || abs(current.c - previous.c) > Self.thresholds.c
    }

    var json: JSONValue {
        .object(
            JSONObject([
                ("item_id", .string(itemID)),
                ("previous", ["a": .double(previous.a), "b": .double(previous.b), "c": .double(previous.c)]),
                ("current", ["a": .double(current.a), "b": .double(current.b), "c": .double(current.c)]),
                (
                    "delta",
                    [
                        "a": .double(current.a - previous.a), "b": .double(current.b - previous.b),
                        "c": .double(current.c - previous.c),
                    ]
                ),
            ]))
    }
}
