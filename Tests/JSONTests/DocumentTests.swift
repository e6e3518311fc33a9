import JSON
import Testing

/// One value per text: trailing garbage, empty input, trailing commas, literals, and duplicate keys.
@Suite struct DocumentTests {
    @Test func surroundingWhitespaceIsAllowed() throws {
        #expect(try JSONParser.parse(" \t\r\n [ 1 , { \"a\" : null } ] \n") == [1, ["a": .null]])
    }

    @Test(arguments: ["1 2", "{} {}", "[1]]", "nullx", "truex", "{\"a\":1},", "\"a\"\"b\"", "[] //", "1\u{0}"])
    func trailingGarbageIsRejected(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.message == "unexpected data after the JSON value" || error.message == "invalid literal")
    }

    @Test func trailingGarbageIsReportedWhereItStarts() throws {
        let error = try #require(parseError("{\"a\":1}  x"))
        #expect(error.message == "unexpected data after the JSON value")
        #expect(error.offset == 9)
    }

    @Test func emptyInputIsRejected() {
        #expect(parseError("")?.message == "unexpected end of JSON")
        #expect(parseError(" \n\t")?.message == "unexpected end of JSON")
        #expect(parseError("[1,")?.message == "unexpected end of JSON")
        #expect(parseError("{\"a\":")?.message == "unexpected end of JSON")
    }

    @Test func trailingCommasAndMissingSeparatorsAreRejected() {
        #expect(parseError("[1,]")?.message == "unexpected character")
        #expect(parseError("{\"a\":1,}")?.message == "expected a key")
        #expect(parseError("[1 2]")?.message == "expected ',' or ']'")
        #expect(parseError("{\"a\":1 \"b\":2}")?.message == "expected ',' or '}'")
        #expect(parseError("{\"a\" 1}")?.message == "expected ':'")
        #expect(parseError("{a:1}")?.message == "expected a key")
    }

    @Test func literalsAreExactAndCaseSensitive() throws {
        #expect(try JSONParser.parse("[true,false,null]") == [true, false, .null])
        for text in ["True", "nul", "fals", "tru", "NULL"] {
            #expect(parseError(text) != nil, "\(text)")
        }
    }

    @Test func duplicateKeysAreRejectedAtTheSecondKey() throws {
        let error = try #require(parseError(#"{"a":1,"a":2}"#))
        #expect(error.message == #"duplicate key "a""#)
        #expect(error.offset == 7)
        // Keys compare after unescaping: an escaped spelling of the same key is the same key.
        #expect(parseError(#"{"a":1,"\u0061":2}"#)?.message == #"duplicate key "a""#)
        #expect(parseError(#"{"a":1,"b":{"a":2},"c":[{"a":3}]}"#) == nil, "one key in different objects")
        #expect(parseError(#"{"a":1,"A":2}"#) == nil, "keys are case-sensitive")
    }

    @Test func objectsKeepTheirKeysInOrder() throws {
        let object = try #require(try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
    }
}
