import Fields
import JSON
import UTCTime

/// One answer as the platform sends it.
public struct AttemptRecord: Sendable, Equatable {
    public var userID: String
    public var itemID: String
    public var correct: Bool
    public var answeredAt: Timestamp
    public var topicID: String?
    public var sessionID: String?
    public var responseTimeMs: Int?
    public var hints: Int?

    public init(
        userID: String, itemID: String, correct: Bool, answeredAt: Timestamp, topicID: String? = nil,
        sessionID: String? = nil, responseTimeMs: Int? = nil, hints: Int? = nil
    ) {
        self.userID = userID
        self.itemID = itemID
        self.correct = correct
        self.answeredAt = answeredAt
        self.topicID = topicID
        self.sessionID = sessionID
        self.responseTimeMs = responseTimeMs
        self.hints = hints
    }

    static let fields: Set<String> = [
        "user_id", "item_id", "correct", "answered_at", "topic_id", "session_id", "response_time_ms", "hints",
    ]

    /// Answers may not be dated after the time of ingest plus this allowance for clock skew.
    public static let futureAllowance: Int64 = 3_600_000_000

    /// The general path of `AttemptBatch.parse`: a JSON tree per record, with messages that name the record and
    /// field. Used when the fast scanner gives up (an invalid body, or valid JSON it does not handle, such as escapes
    /// in strings).
    package static func parseGenerally(
        _ body: [UInt8], format: IngestFormat, maximumRecords: Int, latest: Timestamp
    ) throws(IngestError) -> [AttemptRecord] {
        let objects = try RecordReader.objects(body, format: format.readerFormat, maximumRecords: maximumRecords)
        guard !objects.isEmpty else { throw .invalid("the body holds no records") }
        var records: [AttemptRecord] = []
        records.reserveCapacity(objects.count)
        do throws(FieldError) {
            for (index, entry) in objects.enumerated() {
                records.append(try record(RecordReader.fields(of: entry, index: index), latest: latest))
            }
        } catch {
            throw .invalid(error.message)
        }
        return records
    }

    /// One record of the general path: every field checked by the shared field rules, in the order of `fields`.
    static func record(_ reader: FieldReader, latest: Timestamp) throws(FieldError) -> AttemptRecord {
        try reader.rejectUnknown(fields)
        let userID = try reader.requiredIdentifier("user_id")
        let itemID = try reader.requiredIdentifier("item_id")
        let correct = try reader.requiredBool("correct")
        let answeredAt = try reader.requiredTimestamp("answered_at")
        let text = reader.value("answered_at")?.string ?? answeredAt.rfc3339
        guard answeredAt <= latest else { throw reader.failure("answered_at", "is in the future (\(text))") }
        guard answeredAt.day.civil.year >= 1970 else { throw reader.failure("answered_at", "is before 1970 (\(text))") }
        let count = 0...Int(Int32.max)
        return AttemptRecord(
            userID: userID, itemID: itemID, correct: correct, answeredAt: answeredAt,
            topicID: try reader.identifier("topic_id"), sessionID: try reader.identifier("session_id"),
            responseTimeMs: try reader.int("response_time_ms", range: count),
            hints: try reader.int("hints", range: count))
    }
}

/// The body formats of the ingest routes.
public enum IngestFormat: Sendable {
    /// `application/json`: one array of records.
    case jsonArray
    /// `application/x-ndjson`: one record per line.
    case ndjson

    var readerFormat: RecordReader.Format {
        switch self {
        case .jsonArray: return .jsonArray
        case .ndjson: return .ndjson
        }
    }
}
