import JSON
import UTCTime

/// Reads a run's JSON parameters: each read names its field in errors, remembers the effective value (defaults
/// included) for the run record, and `finish()` refuses any parameter that was not read.
struct ParameterReader {
    let body: JSONObject
    private(set) var effective = JSONObject()
    private var known: [String] = []

    init(_ body: JSONObject) {
        self.body = body
    }

    private func present(_ name: String) -> JSONValue? {
        guard let value = body[name], !value.isNull else { return nil }
        return value
    }

    mutating func bool(_ name: String, default fallback: Bool) throws(ParameterError) -> Bool {
        known.append(name)
        var result = fallback
        if let value = present(name) {
            guard let flag = value.boolValue else {
                throw ParameterError(
                    field: name, message: "\(name) must be true or false, got \(value.typeDescription)")
            }
            result = flag
        }
        effective[name] = .bool(result)
        return result
    }

    mutating func int(_ name: String, default fallback: Int?, range: ClosedRange<Int>) throws(ParameterError) -> Int? {
        known.append(name)
        var result = fallback
        if let value = present(name) {
            guard let number = value.intValue, range.contains(Int(number)) else {
                throw ParameterError(
                    field: name,
                    message:
                        "\(name) must be an integer in \(range.lowerBound)…\(range.upperBound), got \(value.jsonText)")
            }
            result = Int(number)
        }
        effective[name] = result.map { .int(Int64($0)) } ?? .null
        return result
    }

    mutating func day(_ name: String, default fallback: Day) throws(ParameterError) -> Day {
        known.append(name)
        var result = fallback
        if let value = present(name) {
            guard let text = value.stringValue, let day = Day(iso: text) else {
                throw ParameterError(field: name, message: "\(name) must be a date YYYY-MM-DD, got \(value.jsonText)")
            }
            result = day
        }
        effective[name] = .string(result.iso)
        return result
    }

    mutating func string(
        _ name: String, default fallback: String?, allowed: [String]? = nil, maxLength: Int = 128
    ) throws(ParameterError) -> String? {
        known.append(name)
        var result = fallback
        if let value = present(name) {
            guard let text = value.stringValue, !text.isEmpty, text.unicodeScalars.count <= maxLength else {
                throw ParameterError(
                    field: name,
                    message: "\(name) must be a string of 1 to \(maxLength) characters, got \(value.jsonText)")
            }
            if let allowed, !allowed.contains(text) {
                throw ParameterError(
                    field: name,
                    message: "\(name) must be one of \(allowed.joined(separator: ", ")), got \(value.jsonText)")
            }
            result = text
        }
        effective[name] = .optional(result)
        return result
    }

    /// An optional list of ids (1–128 characters each), at most `maxCount`, without duplicates.
    mutating func identifiers(_ name: String, maxCount: Int) throws(ParameterError) -> [String]? {
        known.append(name)
        guard let value = present(name) else {
            effective[name] = .null
            return nil
        }
        guard let array = value.arrayValue, !array.isEmpty, array.count <= maxCount else {
            throw ParameterError(
                field: name, message: "\(name) must be a non-empty array of at most \(maxCount) ids")
        }
        var ids: [String] = []
        for (index, element) in array.enumerated() {
            guard let id = element.stringValue, (1...128).contains(id.unicodeScalars.count) else {
                throw ParameterError(
                    field: name, message: "\(name)[\(index)] must be a string of 1 to 128 characters")
            }
            ids.append(id)
        }
        let unique = Array(Set(ids)).sorted()
        effective[name] = .array(unique.map(JSONValue.string))
        return unique
    }

    /// Refuses parameters this stage does not know.
    func finish() throws(ParameterError) {
        if let unknown = body.keys.first(where: { !known.contains($0) && $0 != "dry_run" }) {
            throw ParameterError(
                field: unknown,
                message: "unknown parameter \(unknown); this stage accepts \(known.sorted().joined(separator: ", "))")
        }
    }
}
