import Fields
import HTTPServer
import UTCTime

/// Typed path parameters read with the shared field rules: a malformed id or number in the path is a 400
/// `invalid_parameter` naming the parameter, never a 404 and never truncated.
struct PathReader {
    let fields: FieldReader

    init(_ request: HTTPRequest) {
        fields = FieldReader(text: request.pathParameters)
    }

    /// An id (1–128 characters, no NUL).
    func identifier(_ name: String) throws(HTTPError) -> String {
        do throws(FieldError) {
            return try fields.requiredIdentifier(name)
        } catch {
            throw HTTPError(error)
        }
    }

    /// A positive 64-bit integer such as a run id.
    func positiveInt(_ name: String) throws(HTTPError) -> Int64 {
        do throws(FieldError) {
            return Int64(try fields.requiredInt(name, range: 1...Int.max))
        } catch {
            throw HTTPError(error)
        }
    }

    /// A week's Monday written YYYY-MM-DD: a day out of range or not a Monday is a 400, not a 404.
    func weekStart(_ name: String) throws(HTTPError) -> Day {
        do throws(FieldError) {
            guard let day = try fields.weekStart(name) else { throw fields.missing(name) }
            return day
        } catch {
            throw HTTPError(error)
        }
    }
}
