import Fields

/// How the body of a request is delimited (RFC 9112 §6).
package enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request head together with what the connection needs to read its body.
package struct ParsedHead {
    package var head: HTTPRequestHead
    package var framing: BodyFraming
    package var expectContinue: Bool
    package var gzipBody: Bool
}

/// Parses a complete request head (request line and header fields, up to and including the empty line) strictly:
/// single spaces in the request line, CRLF line ends, header names as tokens with the colon right after them, no
/// obsolete line folding, no control characters, one Host for HTTP/1.1, and request framing that cannot be read two
/// ways (no duplicate Content-Length, no Content-Length beside Transfer-Encoding), at most one Authorization. Each failure is an `HTTPError`
/// naming the problem; the connection is closed after it.
package enum RequestHeadParser {
    static let maximumHeaderCount = 128

    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> ParsedHead {
        var requestLine: (HTTPMethod, String, HTTPVersion)?
        var headers = HTTPHeaders()
        var lineStart = 0
        var index = 0
        var ended = false
        while index < bytes.count {
            if bytes[index] == 0x0A {
                guard index > lineStart, bytes[index - 1] == 0x0D else { throw malformed("line ends must be CRLF") }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<index - 1])
                lineStart = index + 1
                if requestLine == nil {
                    requestLine = try parseRequestLine(line)
                } else if line.isEmpty {
                    ended = true
                    break
                } else {
                    guard headers.count < maximumHeaderCount else {
                        throw HTTPError(
                            .requestHeaderFieldsTooLarge, code: .headersTooLarge,
                            message: "more than \(maximumHeaderCount) header fields")
                    }
                    let (name, value) = try parseField(line)
                    headers.add(name, value)
                }
            }
            index += 1
        }
        // The reader hands over the head through its terminating empty line.
        guard ended, let (method, parsedTarget, version) = requestLine else {
            throw malformed("incomplete request head")
        }
        var target = parsedTarget
        let (path, query) = try splitTarget(&target, method: method)
        let framing = try framing(headers: headers, version: version)
        if version == .http11 {
            guard headers.values("host").count == 1 else {
                throw malformed("an HTTP/1.1 request needs exactly one Host header", code: .badHost)
            }
        }
        // Two credentials cannot be read one way: which one counts would depend on the reader (the first used to win).
        guard headers.values("authorization").count <= 1 else {
            throw malformed("more than one Authorization header", code: .duplicateAuthorization)
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
                throw HTTPError(.expectationFailed, code: .badExpect, message: "unsupported Expect: \(expect)")
            }
            expectContinue = version == .http11
        }
        let gzipBody = try contentEncodingIsGzip(headers)
        let head = HTTPRequestHead(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            keepAlive: keepAlive)
        return ParsedHead(head: head, framing: framing, expectContinue: expectContinue, gzipBody: gzipBody)
    }

    static func malformed(_ message: String, code: ErrorCode = .malformedRequest) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }

    static let methods: [(name: [UInt8], method: HTTPMethod)] = HTTPMethod.allCases.map {
        (Array($0.rawValue.utf8), $0)
    }
    static let http11 = Array("HTTP/1.1".utf8)
    static let http10 = Array("HTTP/1.0".utf8)

    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPError) -> (
        HTTPMethod, String, HTTPVersion
    ) {
        guard let firstSpace = line.firstIndex(of: 0x20),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20),
            firstSpace > 0, secondSpace > firstSpace + 1, !line[(secondSpace + 1)...].contains(0x20)
        else {
            throw malformed("the request line must be 'METHOD target HTTP-version' with single spaces")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        guard methodBytes.allSatisfy(isTokenByte) else { throw malformed("invalid method") }
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw malformed("invalid request target") }
        let versionBytes = UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...])
        let version: HTTPVersion
        if versionBytes.elementsEqual(http11) {
            version = .http11
        } else if versionBytes.elementsEqual(http10) {
            version = .http10
        } else {
            let text = String(decoding: versionBytes, as: UTF8.self)
            if versionBytes.count == 8, text.hasPrefix("HTTP/"), versionBytes[6] == UInt8(ascii: "."),
                versionBytes[5] >= 0x30, versionBytes[5] <= 0x39, versionBytes[7] >= 0x30, versionBytes[7] <= 0x39
            {
                throw HTTPError(
                    .httpVersionNotSupported, code: .versionNotSupported, message: "\(text) is not supported")
            }
            throw malformed("invalid HTTP version")
        }
        guard let method = methods.first(where: { $0.name.elementsEqual(methodBytes) })?.method else {
            let name = String(decoding: methodBytes, as: UTF8.self)
            throw HTTPError(
                .notImplemented, code: .methodNotImplemented, message: "method \(name) is not implemented")
        }
        return (method, String(decoding: targetBytes, as: UTF8.self), version)
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
        let nameBytes = UnsafeBufferPointer(rebasing: line[0..<colon])
        let name =
            nameBytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
            ? String(unsafeUninitializedCapacity: nameBytes.count) { target in
                for (offset, byte) in nameBytes.enumerated() {
                    target[offset] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                }
                return nameBytes.count
            }
            : String(decoding: nameBytes, as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        return (name, value)
    }

    /// Splits origin-form or absolute-form targets into path and query.
    static func splitTarget(_ target: inout String, method: HTTPMethod) throws(HTTPError) -> (String, String?) {
        let utf8 = target.utf8
        if utf8.first != UInt8(ascii: "/") {
            if target == "*" {
                guard method == .options else { throw malformed("'*' is only a target for OPTIONS") }
                return ("*", nil)
            }
            // Absolute form (`http://host/path`): servers must accept it; only the path and query matter here.
            guard let schemeEnd = target.range(of: "://"),
                ["http", "https"].contains(target[..<schemeEnd.lowerBound].lowercased())
            else { throw malformed("the request target must start with '/'") }
            let afterScheme = target[schemeEnd.upperBound...]
            let pathStart = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
            let rest = String(afterScheme[pathStart...])
            target = rest.hasPrefix("/") ? rest : "/" + rest
        }
        guard !target.utf8.contains(UInt8(ascii: "#")) else {
            throw malformed("the request target must not contain a fragment")
        }
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return (String(target[..<mark]), String(target[target.utf8.index(after: mark)...]))
        }
        return (target, nil)
    }

    static func framing(headers: HTTPHeaders, version: HTTPVersion) throws(HTTPError) -> BodyFraming {
        let lengths = headers.values("content-length")
        let encodings = headers.values("transfer-encoding")
        if !encodings.isEmpty {
            guard lengths.isEmpty else {
                throw malformed("Content-Length and Transfer-Encoding together are not accepted", code: .badFraming)
            }
            guard version == .http11 else {
                throw malformed("Transfer-Encoding is not allowed in HTTP/1.0", code: .badFraming)
            }
            let codings = encodings.flatMap { tokens($0) }
            guard codings == ["chunked"] else {
                if codings.last != "chunked" {
                    throw malformed("Transfer-Encoding must end with chunked", code: .badFraming)
                }
                throw HTTPError(
                    .notImplemented, code: .transferCodingNotImplemented,
                    message: "only the chunked transfer coding is supported")
            }
            return .chunked
        }
        guard !lengths.isEmpty else { return .none }
        guard lengths.count == 1 else { throw malformed("duplicate Content-Length header", code: .badContentLength) }
        let text = lengths[0]
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw malformed("Content-Length must be a decimal number", code: .badContentLength)
        }
        guard let length = Int(text), text.utf8.count <= 18 else {
            throw HTTPError(.contentTooLarge, code: .bodyTooLarge, message: "Content-Length \(text) is too large")
        }
        return length == 0 ? .none : .length(length)
    }

    static func contentEncodingIsGzip(_ headers: HTTPHeaders) throws(HTTPError) -> Bool {
        let codings = headers.values("content-encoding").flatMap { tokens($0) }.filter { $0 != "identity" }
        if codings.isEmpty { return false }
        guard codings == ["gzip"] || codings == ["x-gzip"] else {
            throw HTTPError(
                .unsupportedMediaType, code: .unsupportedContentEncoding,
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
