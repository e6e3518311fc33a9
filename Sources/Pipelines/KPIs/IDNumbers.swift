/// Numbers ids (item, topic) 0, 1, 2 … in the order first seen, by their exact bytes, as PostgreSQL compares `text`
/// under the C collation (a Swift `String` would merge canonically equivalent spellings). Ids of up to 16 bytes, the
/// usual case, are looked up without allocating.
struct IDNumbers {
    /// Up to 16 bytes packed into two words, with the length.
    struct Short: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length: UInt8 = 0
    }

    private var short: [Short: UInt32] = [:]
    private var long: [[UInt8]: UInt32] = [:]
    private(set) var count = 0

    /// The number of `bytes`, given the next free number when they are new.
    mutating func number(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let next = UInt32(truncatingIfNeeded: count)
        if bytes.count <= 16 {
            var key = Short(length: UInt8(bytes.count))
            for (offset, byte) in bytes.enumerated() {
                if offset < 8 {
                    key.low |= UInt64(byte) << (8 * offset)
                } else {
                    key.high |= UInt64(byte) << (8 * (offset - 8))
                }
            }
            if let known = short[key] { return known }
            short[key] = next
        } else {
            let key = Array(bytes)
            if let known = long[key] { return known }
            long[key] = next
        }
        count += 1
        return next
    }
}
