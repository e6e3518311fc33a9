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
    private var keyHash: [UInt64] = []
    private var keyIndex: [Int32] = []
    /// The entry of the last byte sequence looked up (grouped input repeats it row after row), or -1.
    private var lastEntry = -1

    /// The index of the id in `bytes`, or nil when it is empty once trimmed.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if lastEntry >= 0 && matches(lastEntry, bytes) { return keyIndex[lastEntry] }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = Int(slots[slot] - 1)
            if keyHash[entry] == hash && matches(entry, bytes) {
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
        keyHash.append(hash)
        keyIndex.append(index)
        if keyIndex.count * 2 > slots.count { grow() }
        lastEntry = keyIndex.count - 1
        return index
    }

    private func matches(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyStart[entry]
        let end = entry + 1 < keyStart.count ? keyStart[entry + 1] : keyBytes.count
        guard end - start == bytes.count else { return false }
        // A byte loop, not `memcmp`: ids are a few bytes long, shorter than the call.
        return keyBytes.withUnsafeBufferPointer { stored in
            for k in bytes.indices where stored[start + k] != bytes[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in keyHash.indices {
            var slot = Int(truncatingIfNeeded: keyHash[entry]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry + 1)
        }
    }

    /// FNV-1a, mixed at the end so that the low bits used for the slot depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
