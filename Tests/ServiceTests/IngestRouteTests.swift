import Gzip
import JSON
import TestSupport
import Testing

/// POST /v1/attempts and /v1/items through the real service.
@Suite(.ownThreads) struct IngestRouteTests {
    static let good: [JSONValue] = [
        [
            "user_id": "学习者", "item_id": "q1", "correct": true, "answered_at": "2026-11-20T10:00:00+02:00",
            "topic_id": "algebra", "session_id": "s1", "response_time_ms": 1200, "hints": 0,
        ],
        ["user_id": "u2", "item_id": "q1", "correct": false, "answered_at": "2026-11-20T10:00:00.123Z"],
    ]

    func attemptCount(_ app: TestService) throws -> Int {
        try app.database.pool.withConnection { try $0.query("SELECT count(*) FROM attempts")[0].decode(0) }
    }

    @Test func jsonArrayAndIdempotentResend() throws {
        let app = try TestService()
        defer { app.stop() }
        let first = try app.request("POST", "/v1/attempts", json: .array(Self.good))
        #expect(first.status == 200)
        #expect(try app.json(first) == ["received": 2, "inserted": 2, "duplicates": 0])
        let again = try app.request("POST", "/v1/attempts", json: .array(Self.good + [Self.good[0]]))
        #expect(try app.json(again) == ["received": 3, "inserted": 0, "duplicates": 3])
        #expect(try attemptCount(app) == 2)
    }

    @Test func gzipNDJSON() throws {
        let app = try TestService()
        defer { app.stop() }
        var lines = ""
        for index in 0..<5000 {
            lines += #"{"user_id":"u\#(index % 97)","item_id":"q\#(index)","correct":\#(index % 3 == 0),"#
            lines += #""answered_at":"2026-11-\#(10 + index % 10)T08:00:00Z"}"# + "\n"
        }
        lines += "\n"
        let response = try app.request(
            "POST", "/v1/attempts", body: Gzip.compress(Array(lines.utf8)),
            headers: [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip")])
        #expect(response.status == 200)
        #expect(try app.json(response)["inserted"] == 5000)
    }

    /// A valid first record, so that each refusal must name record 2.
    static let valid = #"{"user_id":"ok","item_id":"q0","correct":true,"answered_at":"2026-11-01T00:00:00Z"}"#
    static let at = #""answered_at":"2026-11-01T00:00:00Z""#

    @Test(arguments: [
        (#"{"item_id":"q","correct":true,\#(at)}"#, #"record 2: field "user_id" is required"#),
        (#"{"user_id":"","item_id":"q","correct":true,\#(at)}"#, #"record 2: field "user_id" must be 1 to 128"#),
        (#"{"user_id":"u","item_id":"q","correct":1,\#(at)}"#, #"record 2: field "correct" must be true or false"#),
        (
            #"{"user_id":"u","item_id":"q","correct":true,"answered_at":"2026-11-01T00:00:00"}"#,
            #"record 2: field "answered_at" must be an RFC 3339"#
        ),
        (
            #"{"user_id":"u","item_id":"q","correct":true,"answered_at":"2999-01-01T00:00:00Z"}"#,
            #"record 2: field "answered_at" is in the future"#
        ),
        (#"{"user_id":"u","item_id":"q","correct":true,\#(at),"hints":-1}"#, #"record 2: field "hints" must be ≥ 0"#),
        (
            #"{"user_id":"u","item_id":"q","correct":true,\#(at),"response_time_ms":1.5}"#,
            #"record 2: field "response_time_ms" must be an integer"#
        ),
        (
            #"{"user_id":"u","item_id":"q","correct":true,\#(at),"respone_time_ms":1}"#,
            #"record 2: unknown field "respone_time_ms""#
        ),
        ("{}", #"record 2: field "user_id" is required"#),
        ("1", "record 2 must be a JSON object"),
    ])
    func badRecordsAreRefusedWholeAndNamed(record: String, message: String) throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request(
            "POST", "/v1/attempts", body: Array("[\(Self.valid),\(record)]".utf8),
            headers: [("Content-Type", "application/json")])
        #expect(response.status == 400)
        let text = try app.json(response)["error"]?["message"]?.stringValue ?? ""
        #expect(text.hasPrefix(message), "\(text)")
        #expect(try attemptCount(app) == 0, "nothing of a refused body is written")
    }

    /// 30,000 distinct valid NDJSON records: several MiB of COPY data, so that a body refused or diverted near its end
    /// has already streamed rows to the server.
    static func manyLines(_ count: Int = 30_000, items: String = "q") -> String {
        var lines = ""
        for index in 0..<count {
            lines += #"{"user_id":"u\#(index % 997)","item_id":"\#(items)\#(index)","correct":true,"#
            lines += #""answered_at":"2026-11-01T00:00:00Z","session_id":"a-session-id-of-some-length"}"# + "\n"
        }
        return lines
    }

    /// Posts NDJSON `lines`, gzip-compressed when `gzip` is set (that body is inflated a MiB at a time while it
    /// streams: 30,000 lines make several steps, with records across their edges).
    static func postNDJSON(_ app: TestService, _ lines: String, gzip: Bool) throws -> TestResponse {
        let text = Array(lines.utf8)
        if gzip {
            return try app.request(
                "POST", "/v1/attempts", body: Gzip.compress(text),
                headers: [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip")])
        }
        return try app.request("POST", "/v1/attempts", body: text, headers: [("Content-Type", "application/x-ndjson")])
    }

    @Test(arguments: [false, true]) func aBadRecordAfterRowsWereStreamedWritesNothing(gzip: Bool) throws {
        let app = try TestService()
        defer { app.stop() }
        let lines = Self.manyLines() + #"{"user_id":"u","item_id":"q","correct":"yes",\#(Self.at)}"# + "\n"
        let response = try Self.postNDJSON(app, lines, gzip: gzip)
        #expect(response.status == 400)
        let text = try app.json(response)["error"]?["message"]?.stringValue ?? ""
        #expect(text.hasPrefix(#"record 30001 (line 30001): field "correct" must be true or false"#), "\(text)")
        #expect(try attemptCount(app) == 0, "nothing of a refused body is written")
    }

    @Test(arguments: [false, true]) func aDuplicateAfterRowsWereStreamedIsSkippedAndCounted(gzip: Bool) throws {
        let app = try TestService()
        defer { app.stop() }
        let first = try app.request(
            "POST", "/v1/attempts", body: Array((Self.valid + "\n").utf8),
            headers: [("Content-Type", "application/x-ndjson")])
        #expect(try app.json(first) == ["received": 1, "inserted": 1, "duplicates": 0])
        let lines = Self.manyLines() + Self.valid + "\n" + Self.manyLines(10, items: "r")
        let response = try Self.postNDJSON(app, lines, gzip: gzip)
        #expect(try app.json(response) == ["received": 30_011, "inserted": 30_010, "duplicates": 1])
        #expect(try attemptCount(app) == 30_011)
    }

    /// Streamed gzip bodies are all or nothing too: every record arrives once, in whichever step it was inflated; a
    /// body cut short after megabytes of rows were sent is a 400 and one inflating past the limit a 413, nothing
    /// written either way.
    @Test func gzipBodiesStreamWholeOrNotAtAll() throws {
        let app = try TestService()
        defer { app.stop() }
        let lines = Self.manyLines()
        let whole = try Self.postNDJSON(app, lines, gzip: true)
        #expect(try app.json(whole) == ["received": 30_000, "inserted": 30_000, "duplicates": 0])
        let distinct: Int = try app.database.pool.withConnection {
            try $0.query("SELECT count(DISTINCT (user_id, item_id)) FROM attempts")[0].decode(0)
        }
        #expect(distinct == 30_000)
        // Streamed rows go in body order; a body diverted to the old path would be stored in key order (u0, u1, u10…).
        let firstItems: [String] = try app.database.pool.withConnection { connection in
            let rows = try connection.query("SELECT item_id FROM attempts ORDER BY ctid LIMIT 3")
            return try (0..<3).map { try rows[$0].decode(0) }
        }
        #expect(firstItems == ["q0", "q1", "q2"], "the body was streamed, not parsed whole and sorted")

        let other = try Gzip.compress(Array(Self.manyLines(items: "t").utf8))
        let cut = try app.request(
            "POST", "/v1/attempts", body: Array(other[..<(other.count * 3 / 4)]),
            headers: [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip")])
        #expect(cut.status == 400)
        #expect(try app.json(cut)["error"]?["code"] == "bad_content_encoding")
        // Rows stream first, then the body inflates past the 64 MiB limit.
        let padded = Array(Self.manyLines(items: "v").utf8) + [UInt8](repeating: 0x20, count: 64 << 20)
        let tooLarge = try app.request(
            "POST", "/v1/attempts", body: Gzip.compress(padded),
            headers: [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip")])
        #expect(tooLarge.status == 413)
        #expect(try attemptCount(app) == 30_000, "nothing of a refused body is written")
    }

    @Test(arguments: [
        (#"{"user_id":"u"}"#, "must be a JSON array"), (#"[{"user_id":"u""#, "not valid JSON"), ("[]", "no records"),
    ])
    func badDocumentsAreRefused(body: String, message: String) throws {
        let app = try TestService()
        defer { app.stop() }
        let response = try app.request(
            "POST", "/v1/attempts", body: Array(body.utf8), headers: [("Content-Type", "application/json")])
        #expect(response.status == 400)
        #expect(try app.json(response)["error"]?["message"]?.stringValue?.contains(message) == true)
    }

    @Test func mediaTypeAndSizeLimits() throws {
        let app = try TestService()
        defer { app.stop() }
        let wrongType = try app.request(
            "POST", "/v1/attempts", body: Array("[]".utf8), headers: [("Content-Type", "text/csv")])
        #expect(wrongType.status == 415)
        var lines = ""
        let record = #"{"user_id":"u","item_id":"q","correct":true,"answered_at":"2026-11-01T00:00:00Z"}"#
        for _ in 0..<200_001 { lines += record + "\n" }
        let tooMany = try app.request(
            "POST", "/v1/attempts", body: Gzip.compress(Array(lines.utf8)),
            headers: [("Content-Type", "application/x-ndjson"), ("Content-Encoding", "gzip")])
        #expect(tooMany.status == 413)
        #expect(try attemptCount(app) == 0)
    }

    @Test func itemsUpsertWithAnchorRules() throws {
        let app = try TestService()
        defer { app.stop() }
        let items: JSONValue = [
            ["item_id": "a1", "topic_id": "t", "anchor": true, "a": 1.2, "b": -0.5],
            ["item_id": "f1", "topic_id": "t"],
        ]
        #expect(
            try app.json(app.request("POST", "/v1/items", json: items)) == ["received": 2, "inserted": 2, "updated": 0])
        let update: JSONValue = [["item_id": "f1", "topic_id": "u"]]
        #expect(
            try app.json(app.request("POST", "/v1/items", json: update)) == [
                "received": 1, "inserted": 0, "updated": 1,
            ])
        let anchorWithoutB: JSONValue = [["item_id": "a2", "anchor": true, "a": 1]]
        let refused = try app.request("POST", "/v1/items", json: anchorWithoutB)
        #expect(refused.status == 400)
        #expect(try app.json(refused)["error"]?["message"]?.stringValue?.contains("\"b\" is required") == true)
        let badC: JSONValue = [["item_id": "x", "c": 1.0]]
        #expect(try app.request("POST", "/v1/items", json: badC).status == 400)
        let c: Double? = try app.database.pool.withConnection {
            try $0.query("SELECT c FROM items WHERE item_id = 'a1'")[0].decode(0)
        }
        #expect(c == 0, "an anchor's c defaults to 0")
    }
}
