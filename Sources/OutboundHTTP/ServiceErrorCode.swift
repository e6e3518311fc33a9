/// The machine-readable error code of an S3-style XML error body: `<Error><Code>NoSuchBucket</Code>…</Error>`.
enum ServiceErrorCode {
    /// The first `<Code>` element's text when the body is XML and the code looks like one (letters, digits and
    /// dots, at most 64 of them), so that arbitrary text from a server never ends up in messages.
    static func parse(_ response: OutboundResponse) -> String? {
        let body = response.body.prefix(64 * 1024)
        guard let first = body.first(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }),
            first == UInt8(ascii: "<")
        else { return nil }
        let open = Array("<Code>".utf8)
        let close = Array("</Code>".utf8)
        guard let start = body.firstRange(of: open)?.upperBound,
            let end = body[start...].firstRange(of: close)?.lowerBound
        else { return nil }
        let code = body[start..<end]
        let isCodeCharacter: (UInt8) -> Bool = { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 46
        }
        guard !code.isEmpty, code.count <= 64, code.allSatisfy(isCodeCharacter) else { return nil }
        return String(decoding: code, as: UTF8.self)
    }
}
