/// A W3C Trace Context `traceparent` header, version 00: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
/// An invalid header is ignored (nil), never refused: tracing is a courtesy to the caller.
public struct TraceParent: Sendable, Equatable {
    public let traceID: String
    public let parentID: String
    public let flags: String

    /// Parses a header value; nil unless it is a well-formed version-00 value with non-zero ids.
    public init?(header: String) {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].utf8.count == 32, parts[2].utf8.count == 16,
            parts[3].utf8.count == 2, parts.allSatisfy(Self.isLowerHex),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        traceID = String(parts[1])
        parentID = String(parts[2])
        flags = String(parts[3])
    }

    init(traceID: String, parentID: String, flags: String) {
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// The same trace with a new span id: what this server puts on its response.
    public func child() -> TraceParent {
        var span = UInt64.random(in: 1...UInt64.max)
        var hex = ""
        for _ in 0..<16 {
            hex.append(Self.digits[Int(span >> 60)])
            span <<= 4
        }
        return TraceParent(traceID: traceID, parentID: hex, flags: flags)
    }

    /// The header value.
    public var header: String { "00-\(traceID)-\(parentID)-\(flags)" }

    static let digits = Array("0123456789abcdef")

    static func isLowerHex(_ part: Substring) -> Bool {
        part.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension HTTPRequest {
    /// The request's valid `traceparent`, if it sent one.
    public var traceParent: TraceParent? { headers["traceparent"].flatMap(TraceParent.init(header:)) }
}
