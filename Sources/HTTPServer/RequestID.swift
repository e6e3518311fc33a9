/// Request ids: the client's `X-Request-Id` when it is 1–128 visible ASCII characters, otherwise 16 random hex digits.
enum RequestID {
    static func from(_ headers: HTTPHeaders) -> String {
        if let given = headers["x-request-id"], (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return given
        }
        return generate()
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
