/// Dense indices for ids read as raw bytes, in order of first appearance: a repeated id costs a hash and a byte
/// comparison rather than a `String` and a dictionary lookup. Identity is the bytes, as for PostgreSQL's `text` under
/// the "C" collation the id columns use.
struct IDInterner {
    /// The bytes of every id, one after another; id `k` is `bytes[start[k]..<start[k + 1]]`.
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Open addressing: id + 1 per slot, 0 for empty.
    private var slots = [Int32](repeating: 0, count: 1024)
    /// The id looked up last (rows of one learner often come together), or -1.
    private var last = -1

    var count: Int { hashes.count }

    /// The index of the id in `key`, numbering it next when it is new.
    mutating func index(of key: UnsafeRawBufferPointer) -> Int32 {
        if last >= 0 && matches(last, key) { return Int32(last) }
        let hash = Self.hash(key)
        let (slot, found) = lookup(key, hash: hash)
        if let found {
            last = found
            return Int32(found)
        }
        let id = hashes.count
        slots[slot] = Int32(id + 1)
        bytes.append(contentsOf: key)
        start.append(bytes.count)
        hashes.append(hash)
        if hashes.count * 2 > slots.count { grow() }
        last = id
        return Int32(id)
    }

    /// The index of the id in `key` if it has one, without numbering it.
    func existingIndex(of key: UnsafeRawBufferPointer) -> Int32? {
        lookup(key, hash: Self.hash(key)).id.map(Int32.init)
    }

    /// The id in `key`, or the empty slot where it would go.
    private func lookup(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, id: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if hashes[id] == hash && matches(id, key) { return (slot, id) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
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

    private func matches(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let from = start[id]
        guard start[id + 1] - from == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            for k in 0..<key.count where stored[from + k] != key[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a, mixed at the end so that the low bits used for the slot depend on every byte.
    private static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
