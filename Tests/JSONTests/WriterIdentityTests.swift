import JSON
import Testing

/// The writer against `ReferenceWriter`, the implementation it replaced: the same bytes for every kind of value,
/// including the edges of the eight-byte string scan, the integer path for whole doubles and the buffer's growth.
@Suite struct WriterIdentityTests {
    /// SplitMix64: a seeded generator, so that a failing value can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static func expectSameBytes(_ value: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = ReferenceWriter.encode(value)
        let actual = value.encoded()
        #expect(
            actual == expected,
            "\(String(decoding: actual, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    @Test func stringsWithEscapesAtEveryPositionOfTheWordScan() {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}"]
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            Self.expectSameBytes(.string(plain))
            for position in 0..<length {
                for special in specials {
                    var characters = Array(plain)
                    characters[position] = special
                    Self.expectSameBytes(.string(String(characters)))
                }
            }
        }
    }

    @Test func stringsOfEveryByteNearTheEscapeBoundaries() {
        // 0x1F/0x20, 0x21/0x22/0x23 and 0x5B/0x5C/0x5D sit next to the bytes that are escaped; the bit tricks must
        // tell them apart in every lane of the word.
        for scalar in UInt32(0)..<0x80 {
            let character = Character(Unicode.Scalar(scalar)!)
            for length in [1, 7, 8, 9, 15, 16, 17] {
                for position in 0..<length {
                    var characters = Array(repeating: Character("x"), count: length)
                    characters[position] = character
                    Self.expectSameBytes(.string(String(characters)))
                }
            }
        }
    }

    @Test func nonASCIIAndLongStrings() {
        let samples = [
            "é", "ключ", "学习者", "😀", "a😀b\"c", "\u{7F}", "\u{80}", "\u{FFFF}", "\u{10FFFF}", "tab\there",
            String(repeating: "é😀\"x", count: 300), String(repeating: "plain text ", count: 500),
            String(repeating: "\u{1}", count: 100),
        ]
        for text in samples { Self.expectSameBytes(.string(text)) }
        Self.expectSameBytes(.object(JSONObject([(key: "ключ \"q\"\n", value: "v"), (key: "", value: "")])))
    }

    @Test func doublesAtTheEdges() {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.5, -0.5, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 100, 1e14, 1e15, -1e15, 1e15.nextDown,
            1e15.nextUp, (-1e15).nextUp, 999_999_999_999_999.5, 1e16, 1e17, 1e21, 1e22, 1e23, 9_007_199_254_740_993,
            123_456_789.125, 1.5e-7, 1e-5, 1e-4, 0.001, 5e-324, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, Double.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, -2.2250738585072014e-308, .pi, -.pi, .ulpOfOne, .nan, -.nan,
            .signalingNaN, .infinity, -.infinity,
        ]
        for number in values {
            Self.expectSameBytes(.double(number))
            Self.expectSameBytes(.number(number))
        }
        for index in -1000...1000 { Self.expectSameBytes(.double(Double(index) / 7)) }
    }

    @Test func randomDoublesFromEveryExponent() {
        var generator = SeededGenerator(state: 16)
        for _ in 0..<20_000 {
            Self.expectSameBytes(.double(Double(bitPattern: generator.next())))
        }
        for _ in 0..<5_000 {
            Self.expectSameBytes(.double(Double.random(in: -1e6...1e6, using: &generator)))
            Self.expectSameBytes(.double(Double.random(in: 0...1, using: &generator)))
        }
    }

    @Test func integersAtTheEdges() {
        var values: [Int64] = [0, 1, -1, 9, 10, -9, -10, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power + 1, -power, -power - 1]
        }
        var generator = SeededGenerator(state: 64)
        for _ in 0..<5_000 { values.append(Int64(bitPattern: generator.next())) }
        for number in values {
            Self.expectSameBytes(.int(number))
            Self.expectSameBytes(.double(Double(number)))
        }
    }

    @Test func nestedAndEmptyContainers() {
        let values: [JSONValue] = [
            [], [:], [[]], [[:]], [[], [:], [[[]]]], ["a": [:], "b": [], "c": [[:]]], .null, true, false,
            ["": .null, " ": [.null, false, 0, -0.0, "", [:]]],
            .object(JSONObject([(key: "items", value: .array([])), (key: "next_cursor", value: .null)])),
        ]
        for value in values { Self.expectSameBytes(value) }
    }

    @Test func aResponseSizedDocumentAndTheBufferGrowingFromOneByte() {
        var generator = SeededGenerator(state: 4)
        let rows = (0..<200).map { index -> JSONValue in
            let count = JSONValue.int(Int64(bitPattern: generator.next()))
            let note: JSONValue = index % 3 == 0 ? .string("a\"b") : .null
            return .object(
                JSONObject([
                    ("user_id", .string("learner-\(index)")), ("week_start", "2026-11-23"),
                    ("score", .double(Double(index) / 7)), ("ok", .bool(index % 2 == 0)), ("count", count),
                    ("note", note),
                ]))
        }
        let document: JSONValue = .object(JSONObject([("items", .array(rows)), ("next_cursor", .null)]))
        Self.expectSameBytes(document)
        var writer = JSONWriter(capacity: 1)
        writer.write(document)
        writer.append(byte: 0x0A)
        #expect(writer.bytes == ReferenceWriter.encode(document) + [0x0A])
    }

    @Test func objectsKeepTheirMembersAsGiven() {
        let members: [(key: String, value: JSONValue)] = [("b", 1), ("a", "x"), ("c", [1, 2])]
        let object = JSONObject(members)
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["a"] == "x")
        let literal: JSONValue = ["b": 1, "a": "x", "c": [1, 2]]
        #expect(literal == .object(object))
    }
}
