import Fields
import JSON
import UTCTime

/// Reads a run's JSON parameters with the shared field rules (`FieldReader`), remembers each effective value
/// (defaults included) for the run record, and `finish()` refuses any parameter that was not read.
struct ParameterReader {
    let fields: FieldReader
    private(set) var effective = JSONObject()
    private var known: [String] = []

    init(_ body: JSONObject) {
        fields = FieldReader(json: body)
    }

    mutating func bool(_ name: String, default fallback: Bool) throws(FieldError) -> Bool {
        let flag = try fields.bool(name, default: fallback)
        record(name, .bool(flag))
        return flag
    }

    mutating func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(FieldError) -> Int {
        let number = try fields.int(name, default: fallback, range: range)
        record(name, .int(Int64(number)))
        return number
    }

    /// An optional integer: nil (recorded as `null`) when absent.
    mutating func int(_ name: String, range: ClosedRange<Int>) throws(FieldError) -> Int? {
        let number = try fields.int(name, range: range)
        record(name, number.map { .int(Int64($0)) } ?? .null)
        return number
    }

    mutating func day(_ name: String, default fallback: Day) throws(FieldError) -> Day {
        let day = try fields.day(name, default: fallback)
        record(name, .string(day.iso))
        return day
    }

    mutating func weekStart(_ name: String, default fallback: Day) throws(FieldError) -> Day {
        let day = try fields.weekStart(name, default: fallback)
        record(name, .string(day.iso))
        return day
    }

    mutating func identifier(_ name: String, maximumLength: Int = Identifier.maximumLength) throws(FieldError)
        -> String?
    {
        let id = try fields.identifier(name, maximumLength: maximumLength)
        record(name, .optional(id))
        return id
    }

    mutating func identifier(
        _ name: String, default fallback: String, maximumLength: Int = Identifier.maximumLength
    ) throws(FieldError) -> String {
        let id = try fields.identifier(name, maximumLength: maximumLength) ?? fallback
        record(name, .string(id))
        return id
    }

    mutating func oneOf<Choice: RawRepresentable & CaseIterable>(_ name: String, default fallback: Choice)
        throws(FieldError) -> Choice where Choice.RawValue == String
    {
        let choice = try fields.oneOf(name, default: fallback)
        record(name, .string(choice.rawValue))
        return choice
    }

    /// An optional list of ids, at most `maxCount`, recorded sorted and without duplicates.
    mutating func identifiers(_ name: String, maxCount: Int) throws(FieldError) -> [String]? {
        let ids = try fields.identifiers(name, maxCount: maxCount)
        record(name, ids.map { .array($0.map(JSONValue.string)) } ?? .null)
        return ids
    }

    /// Refuses parameters this stage does not know (`dry_run` is known to every stage).
    /// No parameter is declared nullable (openapi.yaml): `null` is refused naming it, not read as the default.
    func finish() throws(FieldError) {
        try fields.rejectUnknown(known + ["dry_run"])
        try fields.rejectNulls()
    }

    private mutating func record(_ name: String, _ value: JSONValue) {
        known.append(name)
        effective[name] = value
    }
}
