import Synchronization

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

    /// 16 hex digits: a random per-process prefix and a counter, unique without a system call per request.
    static func generate() -> String {
        let value = prefix ^ counter.wrappingAdd(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for position in 0..<16 {
                let nibble = Int(value >> UInt64(60 - 4 * position) & 0xF)
                buffer[position] = hexDigits[nibble]
            }
            return 16
        }
    }

    private static let prefix: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next() & 0xFFFF_FFFF_0000_0000
    }()
    private static let counter = Atomic<UInt64>(0)
    private static let hexDigits = Array("0123456789abcdef".utf8)
}
