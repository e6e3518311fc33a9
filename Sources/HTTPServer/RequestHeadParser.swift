/// How the body of a request is delimited (RFC 9112 §6).
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request head together with what the connection needs to read its body.
struct ParsedHead {
    var head: HTTPRequestHead
    var framing: BodyFraming
    var expectContinue: Bool
    var gzipBody: Bool
}

/// Parses a complete request head (request line and header fields, up to and including the empty line) strictly:
/// single spaces in the request line, CRLF line ends, header names as tokens with the colon right after them, no
/// obsolete line folding, no control characters, one Host for HTTP/1.1, and request framing that cannot be read two
/// ways (no duplicate Content-Length, no Content-Length beside Transfer-Encoding). Each failure is an `HTTPError`
/// naming the problem; the connection is closed after it.
enum RequestHeadParser {
    static let maximumHeaderCount = 128

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> ParsedHead {
        var lines: [UnsafeBufferPointer<UInt8>] = []
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                guard index > lineStart, bytes[index - 1] == 0x0D else {
                    throw malformed("line ends must be CRLF")
                }
                lines.append(UnsafeBufferPointer(rebasing: bytes[lineStart..<index - 1]))
                lineStart = index + 1
            }
            index += 1
        }
        // The reader hands over the head through its terminating empty line.
        guard let last = lines.last, last.isEmpty, lines.count >= 2 else { throw malformed("incomplete request head") }
        lines.removeLast()
        guard lines.count - 1 <= maximumHeaderCount else {
            throw HTTPError(
                .requestHeaderFieldsTooLarge, code: "headers_too_large",
                message: "more than \(maximumHeaderCount) header fields")
        }
        let (method, parsedTarget, version) = try parseRequestLine(lines[0])
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            let (name, value) = try parseField(line)
            headers.add(name, value)
        }
        var target = parsedTarget
        let (path, query) = try splitTarget(&target, method: method)
        let framing = try framing(headers: headers, version: version)
        if version == .http11 {
            guard headers.values("host").count == 1 else {
                throw malformed("an HTTP/1.1 request needs exactly one Host header", code: "bad_host")
            }
        }
        let connectionTokens = headers.values("connection").flatMap { tokens($0) }
        let keepAlive: Bool
        if connectionTokens.contains("close") {
            keepAlive = false
        } else {
            keepAlive = version == .http11 || connectionTokens.contains("keep-alive")
        }
        var expectContinue = false
        if let expect = headers["expect"] {
            guard expect.lowercased() == "100-continue" else {
                throw HTTPError(.expectationFailed, code: "bad_expect", message: "unsupported Expect: \(expect)")
            }
            expectContinue = version == .http11
        }
        let gzipBody = try contentEncodingIsGzip(headers)
        let head = HTTPRequestHead(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            keepAlive: keepAlive)
        return ParsedHead(head: head, framing: framing, expectContinue: expectContinue, gzipBody: gzipBody)
    }

    static func malformed(_ message: String, code: String = "malformed_request") -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> (
        HTTPMethod, String, HTTPVersion
    ) {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw malformed("the request line must be 'METHOD target HTTP-version' with single spaces")
        }
        guard parts[0].allSatisfy(isTokenByte) else { throw malformed("invalid method") }
        let methodName = String(decoding: parts[0], as: UTF8.self)
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw malformed("invalid request target") }
        let target = String(decoding: parts[1], as: UTF8.self)
        let versionText = String(decoding: parts[2], as: UTF8.self)
        guard let version = HTTPVersion(rawValue: versionText) else {
            if versionText.utf8.count == 8, versionText.hasPrefix("HTTP/"),
                versionText.utf8.enumerated().allSatisfy({ $0.offset != 6 || $0.element == UInt8(ascii: ".") })
            {
                throw HTTPError(
                    .httpVersionNotSupported, code: "version_not_supported", message: "\(versionText) is not supported")
            }
            throw malformed("invalid HTTP version")
        }
        guard let method = HTTPMethod(rawValue: methodName) else {
            throw HTTPError(
                .notImplemented, code: "method_not_implemented", message: "method \(methodName) is not implemented")
        }
        return (method, target, version)
    }

    static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> (String, String) {
        guard let first = line.first else { throw malformed("empty header line") }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            throw malformed("obsolete header line folding is not accepted")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw malformed("header line without a name and colon")
        }
        guard line[0..<colon].allSatisfy(isTokenByte) else {
            throw malformed("invalid header name (no whitespace is allowed before the colon)")
        }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        for byte in line[start..<end] where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw malformed("control character in header value")
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self).lowercased()
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name, value)
    }

    /// Splits origin-form or absolute-form targets into path and query.
    static func splitTarget(_ target: inout String, method: HTTPMethod) throws(HTTPError) -> (String, String?) {
        if target == "*" {
            guard method == .options else { throw malformed("'*' is only a target for OPTIONS") }
            return ("*", nil)
        }
        let lowered = target.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            let pathStart = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
            let rest = String(afterScheme[pathStart...])
            target = rest.hasPrefix("/") ? rest : "/" + rest
        }
        guard target.hasPrefix("/") else { throw malformed("the request target must start with '/'") }
        guard !target.contains("#") else { throw malformed("the request target must not contain a fragment") }
        if let mark = target.firstIndex(of: "?") {
            return (String(target[..<mark]), String(target[target.index(after: mark)...]))
        }
        return (target, nil)
    }

    static func framing(headers: HTTPHeaders, version: HTTPVersion) throws(HTTPError) -> BodyFraming {
        let lengths = headers.values("content-length")
        let encodings = headers.values("transfer-encoding")
        if !encodings.isEmpty {
            guard lengths.isEmpty else {
                throw malformed("Content-Length and Transfer-Encoding together are not accepted", code: "bad_framing")
            }
            guard version == .http11 else {
                throw malformed("Transfer-Encoding is not allowed in HTTP/1.0", code: "bad_framing")
            }
            let codings = encodings.flatMap { tokens($0) }
            guard codings == ["chunked"] else {
                if codings.last != "chunked" {
                    throw malformed("Transfer-Encoding must end with chunked", code: "bad_framing")
                }
                throw HTTPError(
                    .notImplemented, code: "transfer_coding_not_implemented",
                    message: "only the chunked transfer coding is supported")
            }
            return .chunked
        }
        guard !lengths.isEmpty else { return .none }
        guard lengths.count == 1 else { throw malformed("duplicate Content-Length header", code: "bad_content_length") }
        let text = lengths[0]
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw malformed("Content-Length must be a decimal number", code: "bad_content_length")
        }
        guard let length = Int(text), text.utf8.count <= 18 else {
            throw HTTPError(.contentTooLarge, code: "body_too_large", message: "Content-Length \(text) is too large")
        }
        return length == 0 ? .none : .length(length)
    }

    static func contentEncodingIsGzip(_ headers: HTTPHeaders) throws(HTTPError) -> Bool {
        let codings = headers.values("content-encoding").flatMap { tokens($0) }.filter { $0 != "identity" }
        if codings.isEmpty { return false }
        guard codings == ["gzip"] || codings == ["x-gzip"] else {
            throw HTTPError(
                .unsupportedMediaType, code: "unsupported_content_encoding",
                message: "Content-Encoding \(codings.joined(separator: ", ")) is not supported; use gzip or identity")
        }
        return true
    }

    /// The lower-cased tokens of a comma-separated header value.
    static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
