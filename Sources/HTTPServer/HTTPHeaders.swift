/// Header fields in the order received or added. Names of parsed request headers are stored lower-cased, so
/// lookups compare without allocating; lookups lower-case the name they are given.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of a header, compared case-insensitively.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Every value of a header, in order.
    public func values(_ name: String) -> [String] {
        // One loop and no array when nothing matches: the parser asks for five names per request.
        var found: [String] = []
        for field in fields where Self.sameName(field.name, name) { found.append(field.value) }
        return found
    }

    /// ASCII case-insensitive comparison without allocating (header names are ASCII tokens).
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        // Most names differ in length: O(1) for native strings, and it spares the byte loop.
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        // The bytes compared in place: stepping two `UTF8View` iterators cost about 35 instructions a call, a tenth
        // of them per byte.
        let same = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in Self.sameBytes(left, right) }
        }
        if let same, let same { return same }
        return Self.sameBytes(Array(lhs.utf8), Array(rhs.utf8))
    }

    private static func sameBytes<Left: Collection<UInt8>, Right: Collection<UInt8>>(
        _ lhs: Left, _ rhs: Right
    ) -> Bool where Left.Index == Int, Right.Index == Int {
        for (a, b) in zip(lhs, rhs) where a != b {
            let lower = a | 0x20
            if lower != b | 0x20 || lower < UInt8(ascii: "a") || lower > UInt8(ascii: "z") { return false }
        }
        return lhs.count == rhs.count
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Sets a header, replacing every earlier value of it.
    public mutating func set(_ name: String, _ value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}
