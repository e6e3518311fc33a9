import Fields
import JSON
import Testing
import UTCTime

/// Every rule of the shared reader with its exact message, for text values (query strings, paths) and JSON values
/// (run parameters, bodies, ingest records).
@Suite struct FieldReaderTests {
    static func text(_ pairs: [(String, String)]) -> FieldReader {
        FieldReader(.text(pairs.map { (name: $0.0, value: $0.1) }))
    }

    static func json(_ object: JSONObject) -> FieldReader {
        FieldReader(json: object)
    }

    /// The error a read throws (fails the test when it throws none).
    static func failure<Value>(
        _ read: () throws(FieldError) -> Value, sourceLocation: SourceLocation = #_sourceLocation
    ) -> FieldError? {
        do {
            let value = try read()
            Issue.record("expected a FieldError, read \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    static func message<Value>(
        _ read: () throws(FieldError) -> Value, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        failure(read, sourceLocation: sourceLocation)?.message
    }

    @Test func absentMeansMissingNullOrEmptyText() throws {
        let query = Self.text([("a", ""), ("b", "7"), ("b", "8")])
        #expect(query.value("a") == nil)
        #expect(query.value("c") == nil)
        #expect(query.value("b") == .text("7"), "the first value of a repeated name counts")
        let body = Self.json(["a": .null, "b": ""])
        #expect(body.value("a") == nil)
        #expect(body.value("b") == .json(""), "an empty JSON string is a value")
        #expect(try body.int("a", default: 3, range: 1...5) == 3)
        #expect(query.names == ["a", "b", "b"])
    }

    @Test func integers() throws {
        let query = Self.text([("n", "7"), ("x", "seven"), ("low", "0"), ("high", "13"), ("f", "1.5")])
        #expect(try query.int("n", range: 1...12) == 7)
        #expect(try query.int("none", range: 1...12) == nil)
        #expect(try query.int("none", default: 4, range: 1...12) == 4)
        #expect(try query.requiredInt("n", range: 1...Int.max) == 7)
        #expect(
            Self.message { () throws(FieldError) in try query.int("x", range: 1...12) }
                == "x must be an integer in 1…12, got 'seven'")
        #expect(
            Self.message { () throws(FieldError) in try query.int("f", range: 1...12) }
                == "f must be an integer in 1…12, got '1.5'")
        #expect(
            Self.message { () throws(FieldError) in try query.int("low", range: 1...12) }
                == "low must be ≥ 1, got '0'")
        #expect(
            Self.message { () throws(FieldError) in try query.int("high", range: 1...12) }
                == "high must be at most 12, got '13'")
        #expect(
            Self.message { () throws(FieldError) in try query.requiredInt("x", range: 1...Int.max) }
                == "x must be an integer ≥ 1, got 'seven'")
        #expect(
            Self.message { () throws(FieldError) in try query.requiredInt("none", range: 1...Int.max) }
                == "none is required")
        let body = Self.json(["n": 7, "whole": 3.0, "s": "7", "f": 1.5])
        #expect(try body.int("n", range: 1...12) == 7)
        #expect(try body.int("whole", range: 1...12) == 3, "a JSON number without a fraction is an integer")
        #expect(
            Self.message { () throws(FieldError) in try body.int("s", range: 1...12) }
                == #"s must be an integer in 1…12, got "7""#)
        #expect(
            Self.message { () throws(FieldError) in try body.int("f", range: 1...12) }
                == "f must be an integer in 1…12, got 1.5")
    }

    @Test func clampedIntegers() throws {
        let query = Self.text([("low", "0"), ("high", "99"), ("x", "many")])
        #expect(try query.clampedInt("low", default: 4, range: 1...12) == 1)
        #expect(try query.clampedInt("high", default: 4, range: 1...12) == 12)
        #expect(try query.clampedInt("none", default: 4, range: 1...12) == 4)
        #expect(
            Self.message { () throws(FieldError) in try query.clampedInt("x", default: 4, range: 1...12) }
                == "x must be an integer, got 'many'")
    }

    @Test func numbers() throws {
        let body = Self.json(["a": 1.25, "i": 2, "s": "1"])
        #expect(try body.number("a") == 1.25)
        #expect(try body.number("i") == 2)
        #expect(try body.number("none") == nil)
        #expect(Self.message { () throws(FieldError) in try body.number("s") } == #"s must be a number, got "1""#)
        let query = Self.text([("a", "0.5"), ("inf", "inf")])
        #expect(try query.number("a") == 0.5)
        #expect(Self.message { () throws(FieldError) in try query.number("inf") } == "inf must be a number, got 'inf'")
    }

    @Test func booleans() throws {
        let query = Self.text([
            ("t", "TRUE"), ("one", "1"), ("yes", "Yes"), ("f", "false"), ("no", "no"), ("m", "maybe"),
        ])
        #expect(try query.bool("t") == true)
        #expect(try query.bool("one") == true)
        #expect(try query.bool("yes") == true)
        #expect(try query.bool("f") == false)
        #expect(try query.bool("no", default: true) == false)
        #expect(try query.bool("none", default: true) == true)
        #expect(Self.message { () throws(FieldError) in try query.bool("m") } == "m must be true or false, got 'maybe'")
        #expect(Self.message { () throws(FieldError) in try query.requiredBool("none") } == "none is required")
        let body = Self.json(["t": true, "s": "yes", "n": 1])
        #expect(try body.requiredBool("t") == true)
        #expect(Self.message { () throws(FieldError) in try body.bool("s") } == #"s must be true or false, got "yes""#)
        #expect(Self.message { () throws(FieldError) in try body.bool("n") } == "n must be true or false, got 1")
    }

    @Test func days() throws {
        let query = Self.text([("d", "2026-11-23"), ("bad", "2026-02-30")])
        #expect(try query.day("d") == Day(iso: "2026-11-23"))
        #expect(try query.day("none") == nil)
        let fallback = try #require(Day(iso: "2026-01-01"))
        #expect(try query.day("none", default: fallback) == fallback)
        #expect(
            Self.message { () throws(FieldError) in try query.day("bad") }
                == "bad must be a date YYYY-MM-DD, got '2026-02-30'")
        let body = Self.json(["n": 20_261_123])
        #expect(
            Self.message { () throws(FieldError) in try body.day("n") } == "n must be a date YYYY-MM-DD, got 20261123")
    }

    /// SPEC §3: every date lies between 2000-01-01 and today; either bound is accepted, one day beyond is refused.
    @Test func daysOutsideTheDocumentedRangeAreRefused() throws {
        #expect(FieldReader.earliestDay.iso == "2000-01-01")
        let today = Day.today()
        let query = Self.text([
            ("first", "2000-01-01"), ("today", today.iso), ("ancient", "0001-01-01"), ("before", "1999-12-31"),
            ("tomorrow", today.advanced(by: 1).iso),
        ])
        #expect(try query.day("first") == FieldReader.earliestDay)
        #expect(try query.day("today") == today)
        let range = "must be between 2000-01-01 and today (\(today.iso))"
        #expect(
            Self.message { () throws(FieldError) in try query.day("ancient") } == "ancient \(range), got 0001-01-01")
        #expect(Self.failure { () throws(FieldError) in try query.day("before") }?.field == "before")
        #expect(
            Self.message { () throws(FieldError) in try query.day("tomorrow") }
                == "tomorrow \(range), got \(today.advanced(by: 1).iso)")
    }

    @Test func weekStartsAreMondays() throws {
        let query = Self.text([("monday", "2026-11-23"), ("tuesday", "2026-11-24"), ("old", "1999-01-04")])
        #expect(try query.weekStart("monday") == Day(iso: "2026-11-23"))
        #expect(
            Self.message { () throws(FieldError) in try query.weekStart("tuesday") }
                == "tuesday must be a Monday, got 2026-11-24")
        #expect(Self.failure { () throws(FieldError) in try query.weekStart("old") }?.field == "old")
    }

    @Test func timestamps() throws {
        let body = Self.json(["t": "2026-11-20T10:00:00+01:00", "local": "2026-11-20T10:00:00"])
        #expect(try body.requiredTimestamp("t") == Timestamp(rfc3339: "2026-11-20T09:00:00Z"))
        #expect(try body.timestamp("none") == nil)
        #expect(
            Self.message { () throws(FieldError) in try body.timestamp("local") }
                == #"local must be an RFC 3339 date-time with a time zone, got "2026-11-20T10:00:00""#)
        #expect(Self.message { () throws(FieldError) in try body.requiredTimestamp("none") } == "none is required")
    }

    @Test func identifiers() throws {
        let longest = String(repeating: "语", count: 128)
        let body = Self.json([
            "id": "Ωmega/ü", "longest": .string(longest), "long": .string(longest + "x"), "empty": "",
            "nul": "u1\u{0}x", "n": 7,
        ])
        #expect(try body.identifier("id") == "Ωmega/ü")
        #expect(try body.requiredIdentifier("longest") == longest, "128 scalars, not bytes")
        #expect(try body.identifier("none") == nil)
        #expect(
            Self.message { () throws(FieldError) in try body.identifier("long") }
                == "long must be 1 to 128 characters, got 129")
        #expect(
            Self.message { () throws(FieldError) in try body.identifier("empty") }
                == "empty must be 1 to 128 characters, got 0")
        #expect(
            Self.message { () throws(FieldError) in try body.identifier("nul") }
                == "nul must not contain NUL characters")
        #expect(Self.message { () throws(FieldError) in try body.identifier("n") } == "n must be a string, got 7")
        #expect(Self.message { () throws(FieldError) in try body.requiredIdentifier("none") } == "none is required")
        #expect(
            Self.message { () throws(FieldError) in try body.identifier("id", maximumLength: 3) }
                == "id must be 1 to 3 characters, got 7")
        let query = Self.text([("nul", "u000001\u{0}garbage")])
        #expect(
            Self.message { () throws(FieldError) in try query.identifier("nul") }
                == "nul must not contain NUL characters")
        #expect(Identifier.isValid("u1"))
        #expect(!Identifier.isValid(""))
        #expect(Identifier.problem(String(repeating: "a", count: 129)) == "must be 1 to 128 characters, got 129")
    }

    @Test func identifierLists() throws {
        let body = Self.json([
            "ids": ["b", "a", "b"], "empty": [], "many": ["a", "b", "c"], "s": "a", "bad": ["a", 1],
            "nul": ["a", "b\u{0}"],
        ])
        #expect(try body.identifiers("ids", maxCount: 3) == ["a", "b"], "sorted, without duplicates")
        #expect(try body.identifiers("none", maxCount: 3) == nil)
        #expect(
            Self.message { () throws(FieldError) in try body.identifiers("empty", maxCount: 3) }
                == "empty must be a non-empty array of at most 3 ids, got []")
        #expect(
            Self.message { () throws(FieldError) in try body.identifiers("many", maxCount: 2) }
                == #"many must be a non-empty array of at most 2 ids, got ["a","b","c"]"#)
        #expect(
            Self.message { () throws(FieldError) in try body.identifiers("s", maxCount: 2) }
                == #"s must be a non-empty array of at most 2 ids, got "a""#)
        let bad = Self.failure { () throws(FieldError) in try body.identifiers("bad", maxCount: 3) }
        #expect(bad?.message == "bad[1] must be a string, got 1")
        #expect(bad?.field == "bad", "an element's error carries the list's name")
        #expect(
            Self.message { () throws(FieldError) in try body.identifiers("nul", maxCount: 3) }
                == "nul[1] must not contain NUL characters")
    }

    enum Model: String, CaseIterable {
        case onePL = "1PL"
        case twoPL = "2PL"
    }

    enum Method: String, CaseIterable {
        case eap = "EAP"
        case map = "MAP"
    }

    @Test func choices() throws {
        let query = Self.text([("status", "failed"), ("weird", "weird")])
        #expect(try query.oneOf("status", ["running", "failed"]) == "failed")
        #expect(try query.oneOf("none", ["running", "failed"]) == nil)
        #expect(
            Self.message { () throws(FieldError) in try query.oneOf("weird", ["running", "failed"]) }
                == "weird must be one of running, failed, got 'weird'")
        let body = Self.json(["model": "1PL", "bad": "4PL", "method": "map", "n": 1])
        #expect(try body.oneOf("model", default: Model.twoPL) == .onePL)
        #expect(try body.oneOf("none", default: Model.twoPL) == .twoPL)
        #expect(try body.oneOf("method", default: Method.eap, ignoringCase: true) == .map)
        #expect(
            Self.message { () throws(FieldError) in try body.oneOf("method", default: Method.eap) }
                == #"method must be one of EAP, MAP, got "map""#)
        #expect(
            Self.message { () throws(FieldError) in try body.oneOf("bad", default: Model.twoPL) }
                == #"bad must be one of 1PL, 2PL, got "4PL""#)
        #expect(
            Self.message { () throws(FieldError) in try body.oneOf("n", default: Model.twoPL) }
                == "n must be one of 1PL, 2PL, got 1")
    }

    @Test func listsOfObjects() throws {
        let body = Self.json(["responses": [["item_id": "q", "correct": true], "x"]])
        let elements = try #require(try body.list("responses", maxCount: 10, of: "responses"))
        let first = try body.element(elements[0], of: "responses", at: 0)
        #expect(try first.requiredIdentifier("item_id") == "q")
        let missing = Self.failure { () throws(FieldError) in try first.requiredBool("answer") }
        #expect(missing?.message == "responses[0].answer is required")
        #expect(missing?.field == "responses[0].answer")
        #expect(
            Self.message { () throws(FieldError) in try body.element(elements[1], of: "responses", at: 1) }
                == #"responses[1] must be an object, got "x""#)
        #expect(
            Self.message { () throws(FieldError) in try body.list("responses", maxCount: 1, of: "responses") }
                == #"responses must be a non-empty array of at most 1 responses, got [{"item_id":"q","correct":true},"x"]"#
        )
    }

    @Test func unknownFields() throws {
        let body = Self.json(["lookback": 3, "date": "2026-11-01"])
        let error = Self.failure { () throws(FieldError) in try body.rejectUnknown(["date", "lookback_days"]) }
        #expect(error?.field == "lookback")
        #expect(error?.message == #"unknown field "lookback" (expected date, lookback_days)"#)
        try body.rejectUnknown(["date", "lookback"])
    }

    @Test func recordsNameTheirPositionAndCode() throws {
        let record = FieldReader(
            json: ["hints": -1, "surprise": 1], position: "record 3 (line 5)", code: .invalidRecord)
        let error = Self.failure { () throws(FieldError) in try record.int("hints", range: 0...Int(Int32.max)) }
        #expect(error?.message == #"record 3 (line 5): field "hints" must be ≥ 0, got -1"#)
        #expect(error?.field == "hints")
        #expect(error?.code == .invalidRecord)
        #expect(
            Self.message { () throws(FieldError) in try record.requiredIdentifier("user_id") }
                == #"record 3 (line 5): field "user_id" is required"#)
        #expect(
            Self.message { () throws(FieldError) in try record.rejectUnknown(["hints"]) }
                == #"record 3 (line 5): unknown field "surprise" (expected hints)"#)
        #expect(
            record.failure("a", "is required for an anchor item").message
                == #"record 3 (line 5): field "a" is required for an anchor item"#)
    }

    @Test func errorsCarryTheirCode() throws {
        let query = Self.text([("n", "x")])
        let error = Self.failure { () throws(FieldError) in try query.int("n", range: 1...2) }
        #expect(error?.code == .invalidParameter)
        #expect(error?.code.rawValue == "invalid_parameter")
        #expect(ErrorCode.invalidRecord.rawValue == "invalid_record")
        #expect(error?.description == error?.message)
    }

    @Test func shownValuesAreCut() throws {
        let long = String(repeating: "x", count: 100)
        let query = Self.text([("n", long)])
        let message = Self.message { () throws(FieldError) in try query.int("n", range: 1...2) }
        #expect(message == "n must be an integer in 1…2, got '" + String(repeating: "x", count: 63) + "…")
        let path = FieldReader(text: ["user_id": "u1"])
        #expect(try path.requiredIdentifier("user_id") == "u1")
    }
}
