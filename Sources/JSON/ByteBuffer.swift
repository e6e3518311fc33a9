/// Bytes written through a pointer into memory this buffer owns, doubling when full. A `[UInt8].append` checks
/// uniqueness and capacity and may call out of line for every piece; here a piece costs one capacity comparison and a
/// copy. Noncopyable so that exactly one owner frees the memory.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far, copied into an array.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Makes room for `extra` more bytes.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ first: UInt8, _ second: UInt8) {
        reserve(2)
        base[count] = first
        base[count + 1] = second
        count += 2
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        append(source, count: bytes.count)
    }

    /// Appends `count` bytes from `source`.
    @inline(__always) mutating func append(_ source: UnsafePointer<UInt8>, count length: Int) {
        reserve(length)
        appendReserved(source, count: length)
    }

    /// Appends one byte where `reserve` already made room.
    @inline(__always) mutating func appendReserved(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    /// Appends `length` bytes where `reserve` already made room. Up to 16 bytes (most keys and short values) are
    /// copied as two overlapping words rather than through a call to `memcpy`.
    @inline(__always) mutating func appendReserved(_ source: UnsafePointer<UInt8>, count length: Int) {
        let target = UnsafeMutableRawPointer(base + count)
        let from = UnsafeRawPointer(source)
        if length >= 8 && length <= 16 {
            target.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            target.storeBytes(
                of: from.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self), toByteOffset: length &- 8,
                as: UInt64.self)
        } else if length >= 4 && length < 8 {
            target.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            target.storeBytes(
                of: from.loadUnaligned(fromByteOffset: length &- 4, as: UInt32.self), toByteOffset: length &- 4,
                as: UInt32.self)
        } else if length < 4 {
            for offset in 0..<length { target.storeBytes(of: source[offset], toByteOffset: offset, as: UInt8.self) }
        } else {
            target.copyMemory(from: from, byteCount: length)
        }
        count &+= length
    }

    /// Appends an ASCII literal such as `null` or `\u00`.
    @inline(__always) mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Calls `body` with room for `maximum` bytes at the end; it returns how many it wrote.
    @inline(__always) mutating func write(upTo maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximum)
        count += body(base + count)
    }
}
