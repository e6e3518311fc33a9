import Gzip

/// Turns a handler's response into the bytes on the wire: optional gzip, framing headers, and no body for HEAD or
/// statuses that forbid one. Writes bytes directly (no string building): this runs once per request.
struct ResponseSerializer {
    /// Bodies at or below this size are sent as they are.
    var compressionThreshold = 1024

    static let compressibleTypes: [[UInt8]] = [
        "application/json", "application/problem+json", "application/yaml", "application/x-ndjson", "text/",
        "image/svg+xml", "application/javascript",
    ].map { Array($0.utf8) }

    /// Headers the server owns; a handler's values for them are ignored.
    static let framingHeaders = ["content-length", "transfer-encoding", "connection", "date", "x-request-id"]

    static let crlf: [UInt8] = [0x0D, 0x0A]

    func serialize(
        _ response: HTTPResponse, method: HTTPMethod, requestHeaders: HTTPHeaders, requestID: String, keepAlive: Bool,
        http10KeepAlive: Bool
    ) -> (bytes: [UInt8], bodyBytes: Int) {
        var response = response
        if response.status.forbidsBody { response.body = [] }
        let compressible = isCompressible(response)
        if compressible && response.body.count > compressionThreshold && response.headers["content-encoding"] == nil
            && ContentNegotiation.acceptsGzip(requestHeaders)
        {
            // Compression is optional: should zlib fail (out of memory), the body goes out as it is.
            if let compressed = try? Gzip.compress(response.body) {
                response.body = compressed
                response.headers.set("Content-Encoding", "gzip")
            }
        }
        if (compressible || response.headers["content-encoding"] != nil) && response.headers["vary"] == nil {
            response.headers.add("Vary", "Accept-Encoding")
        }
        let sendsBody = method != .head
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + response.headers.count * 40 + (sendsBody ? response.body.count : 0))
        bytes.append(contentsOf: StatusLines.line(for: response.status))
        for field in response.headers
        where !Self.framingHeaders.contains(where: { HTTPHeaders.sameName($0, field.name) }) {
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: Self.crlf)
        }
        if !response.status.forbidsBody {
            bytes.append(contentsOf: "Content-Length: ".utf8)
            Self.appendDecimal(response.body.count, to: &bytes)
            bytes.append(contentsOf: Self.crlf)
        }
        bytes.append(contentsOf: HTTPDate.headerLine())
        bytes.append(contentsOf: "X-Request-Id: ".utf8)
        bytes.append(contentsOf: requestID.utf8)
        bytes.append(contentsOf: Self.crlf)
        if !keepAlive {
            bytes.append(contentsOf: "Connection: close\r\n".utf8)
        } else if http10KeepAlive {
            bytes.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        bytes.append(contentsOf: Self.crlf)
        if sendsBody { bytes.append(contentsOf: response.body) }
        return (bytes, sendsBody ? response.body.count : 0)
    }

    func isCompressible(_ response: HTTPResponse) -> Bool {
        guard let type = response.headers["content-type"] else { return false }
        // Most responses are exactly JSON: one string comparison instead of a case-insensitive scan of seven prefixes.
        if type == "application/json" { return true }
        return Self.compressibleTypes.contains { prefix in
            var typeBytes = type.utf8.makeIterator()
            for expected in prefix {
                guard let byte = typeBytes.next(), byte | 0x20 == expected | 0x20 else { return false }
            }
            return true
        }
    }

    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

/// `HTTP/1.1 200 OK\r\n` and friends, built once per status.
enum StatusLines {
    static let common: [HTTPStatus: [UInt8]] = Dictionary(
        uniqueKeysWithValues: [
            HTTPStatus.ok, .created, .accepted, .noContent, .notModified, .badRequest, .unauthorized, .forbidden,
            .notFound, .methodNotAllowed, .conflict, .contentTooLarge, .internalServerError, .serviceUnavailable,
        ].map { ($0, bytes($0)) })

    static func line(for status: HTTPStatus) -> [UInt8] {
        common[status] ?? bytes(status)
    }

    static func bytes(_ status: HTTPStatus) -> [UInt8] {
        Array("HTTP/1.1 \(status.code) \(status.reason)\r\n".utf8)
    }
}
