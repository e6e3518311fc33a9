import HTTPServer
import UTCTime

/// Typed query parameters with 400s that name the parameter.
struct QueryReader {
    let query: QueryParameters

    init(_ request: HTTPRequest) {
        query = request.query
    }

    func string(_ name: String) -> String? {
        guard let value = query[name], !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(HTTPError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw HTTPError.badRequest(
                "\(name) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'",
                code: .invalidParameter)
        }
        return value
    }

    /// An integer clamped into `range` (for parameters the old API clamped instead of refusing).
    func clampedInt(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(HTTPError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text) else {
            throw HTTPError.badRequest("\(name) must be an integer, got '\(text)'", code: .invalidParameter)
        }
        return min(range.upperBound, max(range.lowerBound, value))
    }

    func day(_ name: String) throws(HTTPError) -> Day? {
        guard let text = string(name) else { return nil }
        guard let day = Day(iso: text) else {
            throw HTTPError.badRequest("\(name) must be a date YYYY-MM-DD, got '\(text)'", code: .invalidParameter)
        }
        return day
    }

    func bool(_ name: String, default fallback: Bool) throws(HTTPError) -> Bool {
        guard let text = string(name) else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw HTTPError.badRequest("\(name) must be true or false, got '\(text)'", code: .invalidParameter)
        }
    }

    func oneOf(_ name: String, _ allowed: [String]) throws(HTTPError) -> String? {
        guard let text = string(name) else { return nil }
        guard allowed.contains(text) else {
            throw HTTPError.badRequest(
                "\(name) must be one of \(allowed.joined(separator: ", ")), got '\(text)'", code: .invalidParameter)
        }
        return text
    }

    /// The decoded parts of an opaque paging cursor.
    func cursor(parts: Int) throws(HTTPError) -> [String]? {
        guard let text = string("cursor") else { return nil }
        guard let decoded = Cursor.decode(text), decoded.count == parts else {
            throw HTTPError.badRequest("cursor is not a cursor this API returned", code: .invalidCursor)
        }
        return decoded
    }
}
