/// The parsers of untrusted input that `make fuzz` drives with libFuzzer, and `make test` replays over the seed
/// corpus in `Fuzz/Corpus/<target>/`. Each target feeds one input to a parser and checks an invariant that must hold
/// whatever the bytes: a crash, a trap or a thrown `FuzzViolation` is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `RequestHeadParser.parse`: a head is refused with a 4xx, or parsed into a request whose path is well formed.
    case requestHead = "request-head"
    /// `ChunkedDecoder`: the same bytes decode alike whole and split one byte at a time, and never past the limit.
    case chunked
    /// `JSONParser`: whatever parses writes back to text that parses to the same value.
    case json
    /// `Gzip.decompress`: output never exceeds the limit, and compressing it again gives it back.
    case gzip
    /// `AttemptScanner`: whatever the fast scanner accepts, the general parser accepts with the same records.
    case attemptScanner = "attempt-scanner"

    /// Runs the target on one input.
    public func run(_ input: [UInt8]) throws(FuzzViolation) {
        switch self {
        case .requestHead: try RequestHeadFuzzing.run(input)
        case .chunked: try ChunkedFuzzing.run(input)
        case .json: try JSONFuzzing.run(input)
        case .gzip: try GzipFuzzing.run(input)
        case .attemptScanner: try AttemptScannerFuzzing.run(input)
        }
    }
}

/// An invariant that failed for an input: the fuzzer reports it as a crash, the replay test as a failure.
public struct FuzzViolation: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
