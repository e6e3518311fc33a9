import JSON
import Testing

/// The writer's exact output, and parse(write(v)) == v for every kind of value.
@Suite struct WriterTests {
    static func roundTrip(_ value: JSONValue) throws -> JSONValue {
        try JSONParser.parse(value.encoded())
    }

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() throws {
        let value: JSONValue = .string("a\"b\\c/\n\r\t\u{0}\u{1}\u{1F}\u{7F}é😀")
        #expect(value.jsonText == "\"a\\\"b\\\\c/\\n\\r\\t\\u0000\\u0001\\u001f\u{7F}é😀\"")
        #expect(try Self.roundTrip(value) == value)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        #expect(try Self.roundTrip(.string(text)) == .string(text))
    }

    @Test func integersRoundTripExactly() throws {
        for number: Int64 in [.min, .min + 1, -1, 0, 1, 9_007_199_254_740_993, .max] {
            #expect(try Self.roundTrip(.int(number)) == .int(number))
        }
        #expect(JSONValue.int(.min).jsonText == "-9223372036854775808")
    }

    @Test func doublesRoundTripAndStayDoubles() throws {
        let values: [Double] = [
            0.1, -2.5, 1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e15, 123456789.125, 3,
        ]
        for number in values {
            #expect(try Self.roundTrip(.double(number)) == .double(number), "\(number)")
        }
        #expect(JSONValue.double(3).jsonText == "3.0", "whole doubles keep a fraction")
        #expect(JSONValue.double(1e15).jsonText == "1000000000000000.0")
    }

    @Test func negativeZeroAndNonFiniteValues() throws {
        #expect(JSONValue.double(-0.0).jsonText == "0.0", "the sign of zero is not kept")
        #expect(JSONValue.double(.infinity).jsonText == "null")
        #expect(JSONValue.double(-.infinity).jsonText == "null")
        #expect(JSONValue.double(.nan).jsonText == "null")
        #expect(JSONValue.number(.nan) == .null)
    }

    @Test func nestedValuesRoundTripWithKeyOrder() throws {
        let value: JSONValue = [
            "z": [1, 2.5, "three", true, false, .null, [], [:]],
            "a": ["nested": ["deeper": ["key with \"quotes\"": "value\n"]]],
            "": "empty key",
            "ключ": -0.5,
        ]
        #expect(try Self.roundTrip(value) == value)
        #expect(try JSONParser.parse(value.encoded()).objectValue?.keys == ["z", "a", "", "ключ"])
    }

    @Test func writingIsCompactAndStable() throws {
        let messy = " { \"b\" : [ 1 , 2.0 , \"\\u0041\" ] , \"a\" : { } } "
        let once = try JSONParser.parse(messy).jsonText
        #expect(once == #"{"b":[1,2.0,"A"],"a":{}}"#)
        #expect(try JSONParser.parse(once).jsonText == once)
    }

    @Test func deepestAllowedValueRoundTrips() throws {
        var value: JSONValue = 1
        for _ in 0..<JSONParser.defaultMaximumDepth { value = [value] }
        #expect(try Self.roundTrip(value) == value)
        #expect(parseError(JSONValue.array([value]).encoded()) != nil, "one level more is refused")
    }
}
