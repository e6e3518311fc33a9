import JSON
import Testing

/// Every escape, surrogate pairs and lone surrogates, raw control characters and invalid UTF-8.
@Suite struct StringTests {
    @Test func everySimpleEscapeDecodes() throws {
        let text = #""\" \\ \/ \b \f \n \r \t""#
        #expect(try JSONParser.parse(text) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
    }

    @Test func unicodeEscapesDecodeInEitherCase() throws {
        #expect(
            try JSONParser.parse(#""\u0041\u00e9\u00E9\u20AC\u0000\u001f\uFFFF""#)
                == .string("Aéé€\u{0}\u{1F}\u{FFFF}"))
        #expect(try JSONParser.parse(#""a\u0062c""#) == .string("abc"))
    }

    @Test func surrogatePairsDecodeToOneScalar() throws {
        #expect(try JSONParser.parse(#""\uD83D\uDE00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\uD800\uDC00\uDBFF\uDFFF""#) == .string("\u{10000}\u{10FFFF}"))
        #expect(try JSONParser.parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test(arguments: [
        #""\uD83D""#,  // a high surrogate at the end
        #""\uD83Dx""#,  // followed by a plain character
        #""\uD83D\u0041""#,  // followed by a non-surrogate escape
        #""\uD83D\uD83D""#,  // followed by another high surrogate
        #""\uDE00""#,  // a low surrogate alone
        #""\uDE00\uD83D""#,  // a pair in the wrong order
        #""\uD83D\n""#,  // followed by another escape
    ])
    func loneSurrogatesAreRejected(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.message == "unpaired surrogate in \\u escape")
    }

    @Test(arguments: [#""\x""#, #""\U0041""#, #""\'""#, #""\a""#, #""\0""#, #""\ ""#])
    func unknownEscapesAreRejected(text: String) throws {
        #expect(try #require(parseError(text)).message == "invalid escape")
    }

    @Test(arguments: [#""\u12""#, #""\u12G4""#, #""\u""#, #""\u-123""#, #""\uD83D\uDE0""#])
    func shortOrNonHexUnicodeEscapesAreRejected(text: String) throws {
        let message = try #require(parseError(text)).message
        #expect(message == "invalid \\u escape" || message == "unpaired surrogate in \\u escape")
    }

    @Test func unescapedControlCharactersAreRejectedButDeleteIsNot() throws {
        for byte in [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F] as [UInt8] {
            let error = try #require(parseError([0x22, 0x61, byte, 0x22]))
            #expect(error.message == "unescaped control character in string")
            #expect(error.offset == 2)
        }
        #expect(try parsedString([0x22, 0x7F, 0x22]) == "\u{7F}")
    }

    @Test func unterminatedStringsAreRejected() {
        for text in [#"""#, #""abc"#, #""abc\""#, #""abc\"#, #"["a"#, #"{"a"#] {
            #expect(parseError(text)?.message == "unterminated string", "\(text)")
        }
    }

    @Test func validMultiByteUTF8PassesThrough() throws {
        #expect(try JSONParser.parse("\"é€😀한국어\"") == .string("é€😀한국어"))
        #expect(try JSONParser.parse("\"é\\n😀\"") == .string("é\n😀"))
    }

    @Test(
        arguments: [
            [0xFF],  // never valid
            [0xC0, 0xAF],  // overlong '/'
            [0xE0, 0x80, 0xAF],  // overlong, three bytes
            [0xED, 0xA0, 0x80],  // a surrogate encoded in UTF-8
            [0xE2, 0x82],  // truncated sequence
            [0x80],  // continuation byte alone
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF8, 0x88, 0x80, 0x80, 0x80],  // five-byte form
        ] as [[UInt8]])
    func invalidUTF8IsRejected(sequence: [UInt8]) throws {
        let plain = try #require(parseError([0x22, 0x61] + sequence + [0x22]))
        #expect(plain.message == "invalid UTF-8 in string")
        #expect(plain.offset == 1, "the offset of the string's first byte")
        let escaped = try #require(parseError([0x22, 0x5C, 0x6E] + sequence + [0x22]))
        #expect(escaped.message == "invalid UTF-8 in string")
        let key = try #require(parseError([0x7B, 0x22] + sequence + [0x22, 0x3A, 0x31, 0x7D]))
        #expect(key.message == "invalid UTF-8 in string")
    }

    @Test func bytesOutsideStringsMustBeJSON() {
        #expect(parseError([0xFF])?.message == "unexpected character")
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x31])?.message == "unexpected character", "a byte order mark")
        #expect(parseError("'single'")?.message == "unexpected character")
    }
}
