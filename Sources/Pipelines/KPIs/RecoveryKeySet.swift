/// The (learner, item, topic) keys a learner answered wrongly, for `KPITally`'s recovery counts: about 1.4 million
/// keys on the 100,000-learner bench data, alive through the whole recent half, so they are kept small. Each key is
/// packed into one `UInt64` (learner in 24 bits, item in 20, topic + 1 in 20 with 0 for NULL) in an open-addressing
/// table with linear probing: 8 bytes a slot at most three quarters full, where a `Set<RecoveryKey>` takes 12 bytes
/// a slot plus its metadata. A key whose numbers do not fit the packing (16 million learners, a million items or
/// topics) moves every key to a `Set<RecoveryKey>`, so the answer stays exact for any data.
struct RecoveryKeySet {
    static let learnerBits = 24
    static let itemBits = 20
    static let topicBits = 20
    /// No packed key is all ones: the item's field of a packed key never is (`pack` refuses that item number).
    private static let empty = UInt64.max

    private var slots = [UInt64](repeating: RecoveryKeySet.empty, count: 1024)
    private var packedCount = 0
    /// Every key, once any did not fit the packing (then `slots` is empty).
    private var wide: Set<RecoveryKey>?

    var count: Int { wide?.count ?? packedCount }

    /// The packed form of a key, nil when a number does not fit. `topic` is `UInt32.max` for NULL.
    static func pack(_ key: RecoveryKey) -> UInt64? {
        let topic = key.topic == UInt32.max ? 0 : UInt64(key.topic) + 1
        guard key.learner >= 0, key.learner < 1 << learnerBits, key.item < (1 << itemBits) - 1,
            topic < 1 << topicBits
        else { return nil }
        return UInt64(key.learner) << (itemBits + topicBits) | UInt64(key.item) << topicBits | topic
    }

    mutating func insert(_ key: RecoveryKey) {
        if wide != nil {
            wide!.insert(key)
            return
        }
        guard let packed = Self.pack(key) else {
            widen()
            wide!.insert(key)
            return
        }
        let slot = find(packed)
        guard slots[slot] == Self.empty else { return }
        slots[slot] = packed
        packedCount += 1
        if packedCount * 4 > slots.count * 3 { grow() }
    }

    func contains(_ key: RecoveryKey) -> Bool {
        if let wide { return wide.contains(key) }
        guard let packed = Self.pack(key) else { return false }
        return slots[find(packed)] == packed
    }

    /// The slot holding `packed`, or the empty slot where it would go.
    private func find(_ packed: UInt64) -> Int {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            // Fibonacci hashing: the top bits of the product depend on every bit of the key.
            var slot = Int(
                truncatingIfNeeded: (packed &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slots.count.trailingZeroBitCount))
            while slots[slot] != packed && slots[slot] != Self.empty { slot = (slot + 1) & mask }
            return slot
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: old.count * 2)
        for packed in old where packed != Self.empty { slots[find(packed)] = packed }
    }

    private mutating func widen() {
        var keys = Set<RecoveryKey>(minimumCapacity: packedCount + 1)
        let mask = (UInt64(1) << Self.topicBits) - 1
        for packed in slots where packed != Self.empty {
            let topic = packed & mask
            keys.insert(
                RecoveryKey(
                    learner: Int32(packed >> UInt64(Self.itemBits + Self.topicBits)),
                    item: UInt32((packed >> UInt64(Self.topicBits)) & ((1 << UInt64(Self.itemBits)) - 1)),
                    topic: topic == 0 ? UInt32.max : UInt32(topic - 1)))
        }
        slots = []
        packedCount = 0
        wide = keys
    }
}
