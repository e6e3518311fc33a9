import JSON

/// Whatever the parser accepts, the writer turns back into text that parses to the same value.
enum JSONFuzzing {
    static func run(_ input: [UInt8]) throws(FuzzViolation) {
        guard let value = try? JSONParser.parse(input) else { return }
        let again: JSONValue
        do throws(JSONParseError) {
            again = try JSONParser.parse(value.encoded())
        } catch {
            throw FuzzViolation("the writer's output does not parse: \(error)")
        }
        guard again == value else { throw FuzzViolation("a value changed on its way through the writer") }
    }
}
