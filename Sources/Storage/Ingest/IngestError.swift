/// Why an ingest request was refused; nothing of it was written.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record or the document is invalid; the message names the record (1-based) and the field.
    case invalid(String)
    /// More records than one request may carry.
    case tooManyRecords(limit: Int)

    public var description: String {
        switch self {
        case .invalid(let message): return message
        case .tooManyRecords(let limit): return "a request may carry at most \(limit) records"
        }
    }
}
