import JSON
import Testing

/// Hostile nesting stops at the limit with an error, never by exhausting the stack.
@Suite struct NestingTests {
    static func arrays(_ depth: Int) -> [UInt8] {
        Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
    }

    /// `{"a":{"a":…1…}}`, `depth` objects deep.
    static func objects(_ depth: Int) -> [UInt8] {
        Array(String(repeating: #"{"a":"#, count: depth).utf8) + [UInt8(ascii: "1")]
            + Array(repeating: UInt8(ascii: "}"), count: depth)
    }

    @Test func theDefaultLimitIs64Levels() throws {
        #expect(JSONParser.defaultMaximumDepth == 64)
        var value = try JSONParser.parse(Self.arrays(64))
        var levels = 0
        while let elements = value.arrayValue {
            levels += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(levels == 64)
        #expect(try JSONParser.parse(Self.objects(64))["a"]?["a"] != nil)
    }

    @Test func oneLevelBeyondTheLimitFailsAtTheOffendingBracket() throws {
        let error = try #require(parseError(Self.arrays(65)))
        #expect(error.message == "JSON nested deeper than 64 levels")
        #expect(error.offset == 64)
        let objectError = try #require(parseError(Self.objects(65)))
        #expect(objectError.message == "JSON nested deeper than 64 levels")
        #expect(objectError.offset == 64 * 5)
    }

    @Test func mixedContainersCountTogether() throws {
        let mixed = Array((String(repeating: #"[{"k":"#, count: 32) + "0" + String(repeating: "}]", count: 32)).utf8)
        #expect(parseError(mixed) == nil)
        let deeper = Array((String(repeating: #"[{"k":"#, count: 32) + "[0]" + String(repeating: "}]", count: 32)).utf8)
        #expect(parseError(deeper)?.message == "JSON nested deeper than 64 levels")
    }

    @Test func aCallerChosenLimitHolds() {
        #expect(parseError(Array("[1]".utf8), maximumDepth: 1) == nil)
        #expect(parseError(Array("[[1]]".utf8), maximumDepth: 1)?.offset == 1)
        #expect(parseError(Array("1".utf8), maximumDepth: 0) == nil, "scalars have no depth")
        #expect(parseError(Array("[]".utf8), maximumDepth: 0) != nil)
    }

    /// A megabyte of brackets, open or balanced: rejected at the limit without recursing further.
    @Test func aMillionBracketsAreRejectedCheaply() {
        #expect(parseError(Array(repeating: UInt8(ascii: "["), count: 1_000_000))?.offset == 64)
        #expect(parseError(Self.arrays(500_000))?.offset == 64)
        #expect(parseError(Array(String(repeating: #"{"a":"#, count: 200_000).utf8))?.offset == 64 * 5)
    }
}
