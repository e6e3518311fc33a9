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
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let a?, let b?):
                if a != b && (a | 0x20) != (b | 0x20) { return false }
                if a != b && !((a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z")) { return false }
            default: return false
            }
        }
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
