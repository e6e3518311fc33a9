/// Opaque paging cursors: the keyset of the last item returned, joined by NUL and base64url-encoded, so that ids of
/// any characters survive a query string.
enum Cursor {
    static func encode(_ parts: [String]) -> String {
        base64URL(Array(parts.joined(separator: "\u{0}").utf8))
    }

    static func decode(_ text: String) -> [String]? {
        guard let bytes = fromBase64URL(text), let joined = String(validating: bytes, as: UTF8.self) else { return nil }
        return joined.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for position in 0..<(chunk.count + 1) { output.append(alphabet[Int(value >> (18 - 6 * position) & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func fromBase64URL(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let position = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(position))
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var value: UInt32 = 0
            for (offset, digit) in chunk.enumerated() { value |= digit << (18 - 6 * offset) }
            for position in 0..<(chunk.count - 1) { output.append(UInt8(value >> (16 - 8 * position) & 0xFF)) }
            index += 4
        }
        return output
    }
}
