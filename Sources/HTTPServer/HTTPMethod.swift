/// The request methods the server knows. A syntactically valid method outside this list is answered 501.
public enum HTTPMethod: String, Sendable, CaseIterable, Hashable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case patch = "PATCH"
    case options = "OPTIONS"
    case trace = "TRACE"
    case connect = "CONNECT"
    /// The safe, idempotent method with a body (IETF httpbis "The HTTP QUERY Method"): no route takes it, so it is a
    /// 405 with `Allow` like any known method a path does not allow, not a 501.
    case query = "QUERY"
}
