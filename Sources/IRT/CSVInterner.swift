/// Dense indices for the ids of a CSV column, assigned in order of first appearance, looked up by the field's raw
/// bytes so that a repeated id costs a hash and a comparison rather than a `String`.
///
/// The text of an id stays what decides identity: on the first sight of a byte sequence the id is decoded and
/// trimmed as `CSVText` does, and looked up among the texts seen so far (so two spellings that Swift's `String`
/// calls equal still share one index); the byte sequence then remembers that index.
struct CSVInterner {
    /// The text per index, in order of first appearance.
    private(set) var ids: [String] = []
    private var indexByText: [String: Int32] = [:]
    /// Open addressing over the byte sequences seen: entry number + 1 per slot, 0 for empty.
    private var slots = [Int32](repeating: 0, count: 1024)
    private var keyBytes: [UInt8] = []
    private var keyStart: [Int] = []
    /// Per entry: its first 8 bytes as one word (zero-padded) and its length, which decide a match outright for
    /// ids of up to 8 bytes; only longer ids compare the rest.
    private var keyPrefix: [UInt64] = []
    private var keyLength: [Int] = []
    private var keyIndex: [Int32] = []
    /// The entry of the last byte sequence looked up (grouped input repeats it row after row), or -1.
    private var lastEntry = -1

    /// The index of the id in `bytes`, or nil when it is empty once trimmed.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let prefix = Self.prefix(bytes)
        if lastEntry >= 0 && matches(lastEntry, bytes, prefix) { return keyIndex[lastEntry] }
        let hash = Self.hash(bytes, prefix: prefix)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if matches(entry, bytes, prefix) {
                lastEntry = entry
                return keyIndex[entry]
            }
            slot = (slot + 1) & mask
        }
        let text = CSVText.trim(String(decoding: bytes, as: UTF8.self))
        guard !text.isEmpty else { return nil }
        let index: Int32
        if let known = indexByText[text] {
            index = known
        } else {
            index = Int32(ids.count)
            ids.append(text)
            indexByText[text] = index
        }
        slots[slot] = Int32(keyIndex.count + 1)
        keyStart.append(keyBytes.count)
        keyBytes.append(contentsOf: bytes)
        keyPrefix.append(prefix)
        keyLength.append(bytes.count)
        keyIndex.append(index)
        if keyIndex.count * 2 > slots.count { grow() }
        lastEntry = keyIndex.count - 1
        return index
    }

    private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ prefix: UInt64) -> Bool {
        guard keyPrefix[entry] == prefix, keyLength[entry] == bytes.count else { return false }
        guard bytes.count > 8 else { return true }
        let start = keyStart[entry]
        return keyBytes.withUnsafeBufferPointer { stored in
            for k in 8..<bytes.count where stored[start + k] != bytes[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in keyIndex.indices {
            let start = keyStart[entry]
            let hash = keyBytes.withUnsafeBufferPointer { stored in
                Self.hash(
                    UnsafeBufferPointer(rebasing: stored[start..<start + keyLength[entry]]), prefix: keyPrefix[entry])
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// The first 8 bytes (fewer when shorter) as one little-endian word, zero-padded.
    private static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for k in 0..<min(bytes.count, 8) { word |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        return word
    }

    /// The prefix word and the length, then FNV-1a over any bytes past the eighth, mixed at the end so that the low
    /// bits used for the slot depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> UInt64 {
        var h = prefix ^ (UInt64(bytes.count) &* 0x9e37_79b9_7f4a_7c15)
        if bytes.count > 8 {
            for k in 8..<bytes.count { h = (h ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
