/// Dense indices for ids read as raw bytes, in order of first appearance: a repeated id costs a hash and a byte
/// comparison rather than a `String` and a dictionary lookup. Identity is the bytes, as for PostgreSQL's `text` under
/// the "C" collation the id columns use.
///
/// Each slot of the table holds an id's length and its first 8 bytes, so that a lookup of an id of up to 8 bytes (the
/// bench's learner ids have 7) reads one slot and nothing else, and a longer one compares the rest only when those
/// match. With the id's hash, bytes and offsets in three other arrays, as before, a lookup among 100,000 learners
/// missed the cache about four times: it was 15% of aggregate-features-daily's CPU.
struct IDInterner {
    /// The bytes of every id, one after another; id `k` is `bytes[start[k]..<start[k + 1]]`.
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing, at most half full.
    private var slots = [Slot](repeating: Slot(), count: 1024)
    /// The slot of the id looked up last (rows of one learner often come together), or -1.
    private var lastSlot = -1

    /// An id's place in the table: its first 8 bytes (little-endian, zero-padded), its length and its index + 1
    /// (0 for an empty slot).
    private struct Slot {
        var prefix: UInt64 = 0
        var length: Int32 = 0
        var idPlusOne: Int32 = 0
    }

    var count: Int { hashes.count }

    /// The index of the id in `key`, numbering it next when it is new.
    mutating func index(of key: UnsafeRawBufferPointer) -> Int32 {
        let prefix = Self.prefix(key)
        if lastSlot >= 0 && matches(slots[lastSlot], key, prefix) { return slots[lastSlot].idPlusOne - 1 }
        let hash = Self.hash(key, prefix: prefix)
        let (slot, found) = lookup(key, prefix: prefix, hash: hash)
        if let found {
            lastSlot = slot
            return Int32(found)
        }
        let id = hashes.count
        slots[slot] = Slot(prefix: prefix, length: Int32(key.count), idPlusOne: Int32(id + 1))
        bytes.append(contentsOf: key)
        start.append(bytes.count)
        hashes.append(hash)
        lastSlot = slot
        if hashes.count * 2 > slots.count { grow() }
        return Int32(id)
    }

    /// The index of the id in `key` if it has one, without numbering it.
    func existingIndex(of key: UnsafeRawBufferPointer) -> Int32? {
        let prefix = Self.prefix(key)
        return lookup(key, prefix: prefix, hash: Self.hash(key, prefix: prefix)).id.map(Int32.init)
    }

    /// The id in `key`, or the empty slot where it would go.
    private func lookup(_ key: UnsafeRawBufferPointer, prefix: UInt64, hash: UInt64) -> (slot: Int, id: Int?) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].idPlusOne != 0 {
                if matches(slots[slot], key, prefix) { return (slot, Int(slots[slot].idPlusOne - 1)) }
                slot = (slot + 1) & mask
            }
            return (slot, nil)
        }
    }

    /// Whether the occupied `slot` holds the id in `key`, whose first 8 bytes are `prefix`.
    private func matches(_ slot: Slot, _ key: UnsafeRawBufferPointer, _ prefix: UInt64) -> Bool {
        guard slot.prefix == prefix, Int(slot.length) == key.count else { return false }
        guard key.count > 8 else { return true }
        let from = start[Int(slot.idPlusOne - 1)]
        return bytes.withUnsafeBufferPointer { stored in
            for k in 8..<key.count where stored[from + k] != key[k] { return false }
            return true
        }
    }

    /// Lends the bytes of id `index`.
    func withBytes<Result>(of index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[start[index]..<start[index + 1]])) }
    }

    /// Id `index` as text.
    func string(_ index: Int) -> String { String(decoding: bytes[start[index]..<start[index + 1]], as: UTF8.self) }

    /// The ids' ranks in byte order (the "C" collation's order): `ranks()[index]` is how many ids sort before it.
    func ranks() -> [Int32] {
        bytes.withUnsafeBufferPointer { all in
            let order = (0..<count).sorted { a, b in
                all[start[a]..<start[a + 1]].lexicographicallyPrecedes(all[start[b]..<start[b + 1]])
            }
            var rank = [Int32](repeating: 0, count: count)
            for (position, index) in order.enumerated() { rank[index] = Int32(position) }
            return rank
        }
    }

    private mutating func grow() {
        var larger = [Slot](repeating: Slot(), count: slots.count * 2)
        let mask = larger.count - 1
        for old in slots where old.idPlusOne != 0 {
            var slot = Int(truncatingIfNeeded: hashes[Int(old.idPlusOne - 1)]) & mask
            while larger[slot].idPlusOne != 0 { slot = (slot + 1) & mask }
            larger[slot] = old
        }
        slots = larger
        lastSlot = -1
    }

    /// The first 8 bytes of `key` as a little-endian integer, zero-padded.
    private static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        if key.count >= 8 { return UInt64(littleEndian: key.loadUnaligned(as: UInt64.self)) }
        var value: UInt64 = 0
        for (position, byte) in key.enumerated() { value |= UInt64(byte) << (8 * position) }
        return value
    }

    /// The id's 8-byte words and its length, each folded in by a multiply, then mixed so that the low bits used for
    /// the slot depend on every byte.
    private static func hash(_ key: UnsafeRawBufferPointer, prefix: UInt64) -> UInt64 {
        var h = (UInt64(key.count) ^ 0x9e37_79b9_7f4a_7c15) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ prefix) &* 0xc4ce_b9fe_1a85_ec53
        var offset = 8
        while offset < key.count {
            var word: UInt64 = 0
            if key.count - offset >= 8 {
                word = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            } else {
                for position in offset..<key.count { word |= UInt64(key[position]) << (8 * (position - offset)) }
            }
            h = (h ^ word) &* 0xc4ce_b9fe_1a85_ec53
            h ^= h >> 31
            offset += 8
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
