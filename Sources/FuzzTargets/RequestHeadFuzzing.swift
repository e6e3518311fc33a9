import HTTPServer

/// A head either fails with a refusal the client can act on (4xx, 501 for an unknown method, 505 for an unsupported
/// version) or yields a path that starts with "/" and holds no NUL or space.
enum RequestHeadFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        let parsed: ParsedHead
        do throws(HTTPError) {
            parsed = try input.withUnsafeBufferPointer { (bytes) throws(HTTPError) in
                try RequestHeadParser.parse(bytes)
            }
        } catch {
            guard (400..<500).contains(error.status.code) || [501, 505].contains(error.status.code) else {
                throw FuzzViolation("a head was refused with \(error.status.code), not a refusal: \(error)")
            }
            return
        }
        let path = parsed.head.path
        guard path.hasPrefix("/") || path == "*", !path.utf8.contains(0), !path.utf8.contains(0x20) else {
            throw FuzzViolation("a parsed head has the path \(path.debugDescription)")
        }
    }
}
