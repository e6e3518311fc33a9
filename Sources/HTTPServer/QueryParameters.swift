/// The decoded `name=value` pairs of a query string (`application/x-www-form-urlencoded`: `+` is a space).
public struct QueryParameters: Sendable {
    public let pairs: [(name: String, value: String)]

    /// No parameters (a path without a query string).
    public init() {
        pairs = []
    }

    /// Parses a raw query string; nil when an escape is malformed or decodes to invalid UTF-8.
    public init?(raw: String?) {
        guard let raw, !raw.isEmpty else {
            pairs = []
            return
        }
        var pairs: [(name: String, value: String)] = []
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(pieces[0], plusAsSpace: true) else { return nil }
            let value = pieces.count > 1 ? PercentDecoding.decode(pieces[1], plusAsSpace: true) : ""
            guard let value else { return nil }
            pairs.append((name: name, value: value))
        }
        self.pairs = pairs
    }

    /// The first value of a parameter.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of a parameter, in order (for repeated parameters).
    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    public var names: [String] { pairs.map(\.name) }
}
