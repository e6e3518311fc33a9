import Storage
import Testing
import UTCTime

/// Parsing and validating ingest bodies without a database.
@Suite struct AttemptParsingTests {
    let now = Timestamp(rfc3339: "2026-11-26T12:00:00Z")!

    func parse(_ text: String, format: IngestFormat = .jsonArray, limit: Int = 100) throws(IngestError)
        -> [AttemptRecord]
    {
        try AttemptBatch.parse(Array(text.utf8), format: format, maximumRecords: limit, now: now).records
    }

    @Test func fieldsAreReadWithTheirTypes() throws {
        let records = try parse(
            #"[{"user_id":"ü","item_id":"q","correct":false,"answered_at":"2026-11-20T10:00:00.5+01:00","topic_id":null,"#
                + #""session_id":"s","response_time_ms":0,"hints":3}]"#)
        #expect(
            records == [
                AttemptRecord(
                    userID: "ü", itemID: "q", correct: false, answeredAt: Timestamp(rfc3339: "2026-11-20T09:00:00.5Z")!,
                    sessionID: "s", responseTimeMs: 0, hints: 3)
            ])
    }

    @Test func ndjsonCountsRecordsAndSkipsBlankLines() throws {
        let body =
            "\n" + #"{"user_id":"a","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}"# + "\r\n\n"
            + #"{"user_id":"b","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}"#
        #expect(try parse(body, format: .ndjson).map(\.userID) == ["a", "b"])
        do {
            _ = try parse(body + "\n{\"user_id\":1}", format: .ndjson)
            Issue.record("should fail")
        } catch {
            #expect(error.description.hasPrefix("record 3 (line 5)"))
        }
    }

    @Test func idsCountCharactersNotBytes() throws {
        let long = String(repeating: "语", count: 128)
        let ok = try parse(
            #"[{"user_id":"\#(long)","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}]"#)
        #expect(ok.count == 1)
        #expect(throws: IngestError.self) {
            try parse(#"[{"user_id":"\#(long)x","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}]"#)
        }
        #expect(throws: IngestError.self) {
            try parse(#"[{"user_id":"a\u0000b","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}]"#)
        }
    }

    @Test func recordLimitIsEnforcedEarly() throws {
        let record = #"{"user_id":"a","item_id":"q","correct":true,"answered_at":"2026-11-20T10:00:00Z"}"#
        #expect(throws: IngestError.tooManyRecords(limit: 2)) {
            try parse("[" + [record, record, record].joined(separator: ",") + "]", limit: 2)
        }
        #expect(throws: IngestError.tooManyRecords(limit: 2)) {
            try parse([record, record, record].joined(separator: "\n"), format: .ndjson, limit: 2)
        }
    }
}
