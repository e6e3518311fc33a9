/// One learner's distinct session keys of one half of `KPITally`, each with a value, in a single byte array: one
/// allocation per learner and half rather than the four arrays (references, hashes, key bytes, values) of
/// `SessionKeys` and a values array. Over the 100,000 learners and 3.4 million sessions of the bench data the
/// stage's peak went from 272–284 to 230–232 MiB with it (array headers, padding, the keys' 8-byte references).
///
/// A record is the key's hash (4 bytes), its length (2 bytes, `dayLength` for a day, whose number follows in 4 bytes),
/// the key's bytes, then the value, unaligned. Session ids are at most 128 characters (512 bytes: the attempts table
/// checks it), far below `dayLength`.
struct SessionRecords<Value: BitwiseCopyable> {
    static var dayLength: UInt16 { UInt16.max }
    /// Past this many keys, an index from hash to record replaces the scan for a new key.
    static var indexThreshold: Int { 256 }
    private static var headerSize: Int { 6 }

    private var bytes: [UInt8] = []
    private(set) var count: Int32 = 0
    /// The newest record's offset: the attempts of a session mostly arrive together.
    private var newest: Int32 = -1
    /// Bit `hash % 64` of every key's hash: a key whose bit is clear is new without a scan (most new keys, while a
    /// learner has a few dozen sessions).
    private var filter: UInt64 = 0
    /// The first record with each hash, once there are more than `indexThreshold` (a clash falls back to the scan).
    private(set) var index: [UInt32: Int32]?

    /// Reserves room for records holding `keyBytes` key bytes in all (a day counts 4) and `records` values.
    mutating func reserve(keyBytes: Int, records: Int) {
        bytes.reserveCapacity(keyBytes + records * (Self.headerSize + MemoryLayout<Value>.size))
    }

    /// The offset of `key`'s record, nil when it has none.
    func find(_ key: SessionKey, hash: UInt32) -> Int? {
        bytes.withUnsafeBytes { bytes in
            if newest >= 0, Self.matches(bytes, Int(newest), key, hash) { return Int(newest) }
            guard filter & (1 << UInt64(hash & 63)) != 0 else { return nil }
            if let index {
                guard let candidate = index[hash] else { return nil }
                if Self.matches(bytes, Int(candidate), key, hash) { return Int(candidate) }
            }
            var offset = 0
            while offset < bytes.count {
                if Self.matches(bytes, offset, key, hash) { return offset }
                offset = Self.valueOffset(bytes, offset) + MemoryLayout<Value>.size
            }
            return nil
        }
    }

    /// Adds a record for a key that `find` did not find; returns its offset.
    @discardableResult
    mutating func append(_ key: SessionKey, hash: UInt32, value: Value) -> Int {
        let offset = bytes.count
        var hash = hash
        switch key {
        case .day(var day):
            var length = Self.dayLength
            reserveSlowly(&bytes, adding: Self.headerSize + 4 + MemoryLayout<Value>.size)
            withUnsafeBytes(of: &hash) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: &day) { bytes.append(contentsOf: $0) }
        case .id(let id):
            precondition(id.count < Int(Self.dayLength), "a session id of \(id.count) bytes")
            var length = UInt16(id.count)
            reserveSlowly(&bytes, adding: Self.headerSize + id.count + MemoryLayout<Value>.size)
            withUnsafeBytes(of: &hash) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: id)
        }
        // A zero-sized value (`NoValue`) appends nothing: `withUnsafeBytes(of:)` of it is no buffer to read.
        if MemoryLayout<Value>.size > 0 {
            var value = value
            withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
        }
        count += 1
        newest = Int32(offset)
        filter |= 1 << UInt64(hash & 63)
        if index == nil, count > Self.indexThreshold {
            var built: [UInt32: Int32] = [:]
            forEachRecord { record, _ in
                if built[record.hash] == nil { built[record.hash] = Int32(record.offset) }
            }
            index = built
        } else if index != nil, index?[hash] == nil {
            index?[hash] = Int32(offset)
        }
        return offset
    }

    /// The value of the record at `offset`.
    func value(at offset: Int) -> Value {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: Self.valueOffset($0, offset), as: Value.self) }
    }

    mutating func setValue(_ value: Value, at offset: Int) {
        bytes.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(
                of: value, toByteOffset: Self.valueOffset(UnsafeRawBufferPointer(bytes), offset), as: Value.self)
        }
    }

    /// A record's place and key, for `forEachRecord`.
    struct Record {
        var offset: Int
        var hash: UInt32
        /// The key's bytes, nil for a day.
        var id: UnsafeRawBufferPointer?
        var day: Int32

        var key: SessionKey { id.map { .id($0) } ?? .day(day) }
    }

    /// Every record in order of appearance; `Record.id` is valid during the call only.
    func forEachRecord(_ body: (Record, Value) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let hash = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                let length = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
                let keyStart = offset + Self.headerSize
                let valueOffset = Self.valueOffset(bytes, offset)
                let record =
                    length == Self.dayLength
                    ? Record(
                        offset: offset, hash: hash, id: nil,
                        day: bytes.loadUnaligned(fromByteOffset: keyStart, as: Int32.self))
                    : Record(
                        offset: offset, hash: hash, id: UnsafeRawBufferPointer(rebasing: bytes[keyStart..<valueOffset]),
                        day: 0)
                try body(record, bytes.loadUnaligned(fromByteOffset: valueOffset, as: Value.self))
                offset = valueOffset + MemoryLayout<Value>.size
            }
        }
    }

    private static func valueOffset(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int {
        let length = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
        return offset + headerSize + (length == dayLength ? 4 : Int(length))
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ key: SessionKey, _ hash: UInt32)
        -> Bool
    {
        guard bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) == hash else { return false }
        let length = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)
        let keyStart = offset + headerSize
        switch key {
        case .day(let day):
            return length == dayLength && bytes.loadUnaligned(fromByteOffset: keyStart, as: Int32.self) == day
        case .id(let id):
            guard length != dayLength, Int(length) == id.count else { return false }
            return sameBytes(UnsafeRawBufferPointer(rebasing: bytes[keyStart..<keyStart + id.count]), id)
        }
    }
}

/// The value of a record that needs none: a key alone.
struct NoValue: BitwiseCopyable {}
