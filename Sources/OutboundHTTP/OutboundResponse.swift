/// A response as received: status, header fields and body bytes (not decoded: a gzip body stays gzip).
public struct OutboundResponse: Sendable {
    public var status: Int
    /// Header fields of the final response, in order, names as the server sent them.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The `Content-Type` header as sent, parameters included.
    public var contentType: String? { header("Content-Type") }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
