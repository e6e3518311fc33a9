import JSON

/// The error parsing `bytes` throws, or nil when it parses (tests then assert the message and offset).
func parseError(_ bytes: [UInt8], maximumDepth: Int = JSONParser.defaultMaximumDepth) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `text` throws, or nil when it parses.
func parseError(_ text: String) -> JSONParseError? {
    parseError(Array(text.utf8))
}

/// A string value from a JSON text, or nil when it is not one.
func parsedString(_ bytes: [UInt8]) throws -> String? {
    try JSONParser.parse(bytes).stringValue
}
