import JSON
import Testing

/// Numbers at the edges: the Int64 range, overflow into Double, exponents, signs, zeros, and what is not a number.
@Suite struct NumberTests {
    @Test func int64EdgesStayIntegers() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(.min))
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-1") == .int(-1))
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(try JSONParser.parse("9223372036854775808") == .double(9.223372036854775808e18))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9.223372036854775808e18))
        #expect(try JSONParser.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
        #expect(try JSONParser.parse("9223372036854775808").intValue == nil, "too large for an exact integer")
    }

    @Test func negativeZero() throws {
        #expect(try JSONParser.parse("-0") == .int(0), "an integer has no negative zero")
        let double = try #require(try JSONParser.parse("-0.0").doubleValue)
        #expect(double == 0 && double.sign == .minus)
        #expect(try #require(try JSONParser.parse("-0e0").doubleValue).sign == .minus)
    }

    @Test func fractionsAndExponentsAreDoubles() throws {
        #expect(try JSONParser.parse("1.5") == .double(1.5))
        #expect(try JSONParser.parse("1E2") == .double(100))
        #expect(try JSONParser.parse("1e+2") == .double(100))
        #expect(try JSONParser.parse("1e-2") == .double(0.01))
        #expect(try JSONParser.parse("0e0") == .double(0))
        #expect(try JSONParser.parse("2.0") == .double(2), "a fraction makes a double even when whole")
        #expect(try JSONParser.parse("1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try JSONParser.parse("4.9e-324") == .double(.leastNonzeroMagnitude))
    }

    @Test func hugeExponents() throws {
        for text in ["1e400", "-1e400", "1.8e308", "1e99999999999999999999", "-1e99999999999999999999"] {
            let error = try #require(parseError(text), "\(text)")
            #expect(error.message == "number out of range")
            #expect(error.offset == 0)
        }
        #expect(parseError("[1, 1e400]")?.offset == 4, "the offset of the number")
        // Underflow is not an error: the value rounds to zero, as IEEE 754 does.
        #expect(try JSONParser.parse("1e-400") == .double(0))
        #expect(try JSONParser.parse("1e-99999999999999") == .double(0))
        #expect(try JSONParser.parse("0e99999999999999999") == .double(0))
    }

    @Test func leadingZerosEndTheNumber() throws {
        #expect(parseError("01")?.message == "unexpected data after the JSON value")
        #expect(parseError("-01")?.message == "unexpected data after the JSON value")
        #expect(parseError("00")?.offset == 1)
        #expect(parseError("[01]")?.message == "expected ',' or ']'")
        #expect(try JSONParser.parse("0.01") == .double(0.01))
    }

    @Test(arguments: ["-", "-a", "1.", "1.e3", "1e", "1e+", "1E-", "-.5", "[1.]", "[-]"])
    func incompleteNumbersAreRejected(text: String) throws {
        #expect(try #require(parseError(text)).message == "invalid number")
    }

    @Test(arguments: [".5", "+1", "Infinity", "-Infinity", "NaN", "nan"])
    func nonNumbersAreRejected(text: String) throws {
        let message = try #require(parseError(text)).message
        #expect(message == "unexpected character" || message == "invalid number" || message == "invalid literal")
    }

    @Test func hexAndSeparatorsAreNotNumbers() {
        #expect(parseError("0x10")?.message == "unexpected data after the JSON value")
        #expect(parseError("1_000")?.message == "unexpected data after the JSON value")
        #expect(parseError("1,000")?.message == "unexpected data after the JSON value")
    }
}
