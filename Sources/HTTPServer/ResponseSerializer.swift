import Gzip

/// Turns a handler's response into the bytes on the wire: optional gzip, framing headers, and no body for HEAD or
/// statuses that forbid one.
struct ResponseSerializer {
    /// Bodies at or below this size are sent as they are.
    var compressionThreshold = 1024

    static let compressibleTypes = [
        "application/json", "application/problem+json", "application/yaml", "application/x-ndjson", "text/",
        "image/svg+xml", "application/javascript",
    ]

    func serialize(
        _ response: HTTPResponse, method: HTTPMethod, requestHeaders: HTTPHeaders, requestID: String, keepAlive: Bool,
        http10KeepAlive: Bool
    ) -> (bytes: [UInt8], bodyBytes: Int) {
        var response = response
        if response.status.forbidsBody { response.body = [] }
        if shouldCompress(response, requestHeaders: requestHeaders) {
            response.body = Gzip.compress(response.body)
            response.headers.set("Content-Encoding", "gzip")
        }
        if isCompressible(response) || response.headers["content-encoding"] != nil {
            if !response.headers.values("vary").contains(where: { $0.lowercased().contains("accept-encoding") }) {
                response.headers.add("Vary", "Accept-Encoding")
            }
        }
        var head = "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n"
        for field in response.headers where !Self.isFramingHeader(field.name) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if !response.status.forbidsBody {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        head += "Date: \(HTTPDate.now())\r\nX-Request-Id: \(requestID)\r\n"
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if http10KeepAlive {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        let sendsBody = method != .head
        if sendsBody {
            bytes.append(contentsOf: response.body)
        }
        return (bytes, sendsBody ? response.body.count : 0)
    }

    func shouldCompress(_ response: HTTPResponse, requestHeaders: HTTPHeaders) -> Bool {
        response.body.count > compressionThreshold && response.headers["content-encoding"] == nil
            && isCompressible(response) && ContentNegotiation.acceptsGzip(requestHeaders)
    }

    func isCompressible(_ response: HTTPResponse) -> Bool {
        guard let type = response.headers["content-type"]?.lowercased() else { return false }
        return Self.compressibleTypes.contains { type.hasPrefix($0) }
    }

    /// Headers the server owns; a handler's values for them are ignored.
    static func isFramingHeader(_ name: String) -> Bool {
        switch name.lowercased() {
        case "content-length", "transfer-encoding", "connection", "date", "x-request-id": return true
        default: return false
        }
    }

    /// A complete response for errors raised before any handler ran (parse errors, limits, overload).
    static func errorBytes(_ error: HTTPError, requestID: String, keepAlive: Bool = false) -> [UInt8] {
        ResponseSerializer().serialize(
            error.response(requestID: requestID), method: .get, requestHeaders: HTTPHeaders(), requestID: requestID,
            keepAlive: keepAlive, http10KeepAlive: false
        ).bytes
    }
}
