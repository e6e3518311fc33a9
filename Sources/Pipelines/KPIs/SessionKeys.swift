/// One learner's distinct session keys, numbered in order of first appearance: the session ids' bytes back to back
/// (exact identity, not a hash), a day for a day session, and each key's hash to rule out most candidates cheaply.
/// `LearnerSessions` keeps its per-session values in arrays indexed by these numbers (`KPISessions` packs keys and
/// values into `SessionRecords` instead).
struct SessionKeys {
    /// Where a key's bytes are in `bytes`; for a day session the day, with `length` -1.
    struct Reference {
        var offset: UInt32
        var length: Int32
    }

    private(set) var references: [Reference] = []
    /// Each key's hash, apart from the references so that a scan reads 4 bytes per session.
    private var hashes: [UInt32] = []
    private var bytes: [UInt8] = []
    /// Built once a learner has many sessions, so that a new session does not cost a scan of all of them: the
    /// first key with each hash (a clash with another key falls back to the scan).
    private(set) var index: [UInt32: Int32]?
    static let indexThreshold = 256

    var count: Int { hashes.count }

    /// The number of `key`: the newest first, as the attempts of a session mostly arrive together; then through the
    /// index when there is one (a hash it lacks is a new key), else by a scan, newest first. Two keys sharing a hash
    /// fall back to the scan.
    func find(_ key: SessionKey, hash: UInt32) -> Int? {
        if let last = hashes.indices.last, hashes[last] == hash, matches(last, key) { return last }
        if let index {
            guard let candidate = index[hash] else { return nil }
            if matches(Int(candidate), key) { return Int(candidate) }
        }
        return hashes.withUnsafeBufferPointer { hashes in
            var position = hashes.count - 1
            while position >= 0 {
                if hashes[position] == hash, matches(position, key) { return position }
                position -= 1
            }
            return nil
        }
    }

    /// Whether key `position` (whose hash matched) is `key`.
    private func matches(_ position: Int, _ key: SessionKey) -> Bool {
        let reference = references[position]
        switch key {
        case .day(let day): return reference.length == -1 && Int32(bitPattern: reference.offset) == day
        case .id(let id):
            guard Int(reference.length) == id.count else { return false }
            let offset = Int(reference.offset)
            return bytes.withUnsafeBytes {
                sameBytes(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + id.count]), id)
            }
        }
    }

    /// Numbers a key that `find` did not find.
    mutating func append(_ key: SessionKey, hash: UInt32) -> Int {
        let reference: Reference
        switch key {
        case .day(let day): reference = Reference(offset: UInt32(bitPattern: day), length: -1)
        case .id(let id):
            reference = Reference(offset: UInt32(bytes.count), length: Int32(id.count))
            reserveSlowly(&bytes, adding: id.count)
            bytes.append(contentsOf: id)
        }
        reserveSlowly(&references, adding: 1)
        references.append(reference)
        reserveSlowly(&hashes, adding: 1)
        hashes.append(hash)
        let position = hashes.count - 1
        if index == nil, hashes.count > Self.indexThreshold {
            var built: [UInt32: Int32] = [:]
            for (offset, existing) in hashes.enumerated() where built[existing] == nil {
                built[existing] = Int32(offset)
            }
            index = built
        } else if index != nil, index?[hash] == nil {
            index?[hash] = Int32(position)
        }
        return position
    }

    /// Whether key `position` of `other` is also one of these keys.
    func contains(_ position: Int, of other: SessionKeys) -> Bool {
        let reference = other.references[position]
        let hash = other.hashes[position]
        if reference.length == -1 { return find(.day(Int32(bitPattern: reference.offset)), hash: hash) != nil }
        return other.bytes.withUnsafeBytes {
            let offset = Int(reference.offset)
            return find(.id(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + Int(reference.length)])), hash: hash)
                != nil
        }
    }
}

/// Grows `array` by a quarter instead of letting `append` double it: a learner's sessions are many small arrays,
/// and doubling left them 25–50 % empty on average (hundreds of MB over 100,000 learners).
@inline(__always) func reserveSlowly<Element>(_ array: inout [Element], adding: Int) {
    let needed = array.count + adding
    if needed > array.capacity { array.reserveCapacity(max(needed, array.count + array.count / 4 + 4)) }
}
