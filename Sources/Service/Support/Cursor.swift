import Hashing

/// Opaque paging cursors: the keyset of the last item returned, versioned and checksummed, base64url-encoded so that
/// ids of any characters survive a query string. The bytes are `v1 NUL part NUL part … checksum`, the checksum being
/// the first 8 bytes of SHA-256 over a label and everything before it, so a made-up or damaged cursor (`LTE`) is
/// refused instead of being read as a keyset. It is a checksum, not a signature: a cursor only holds values the
/// client could ask for anyway.
enum Cursor {
    static let version = Array("v1".utf8)
    static let checksumLength = 8

    static func encode(_ parts: [String]) -> String {
        let payload = version + [0] + Array(parts.joined(separator: "\u{0}").utf8)
        return base64URL(payload + checksum(payload))
    }

    /// The parts of a cursor this API returned, or nil for anything else (wrong alphabet, version or checksum).
    static func decode(_ text: String) -> [String]? {
        guard let bytes = fromBase64URL(text), bytes.count >= version.count + 1 + checksumLength else { return nil }
        let payload = Array(bytes.dropLast(checksumLength))
        guard Array(bytes.suffix(checksumLength)) == checksum(payload),
            Array(payload.prefix(version.count + 1)) == version + [0],
            let joined = String(validating: payload.dropFirst(version.count + 1), as: UTF8.self)
        else { return nil }
        return joined.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
    }

    static func checksum(_ payload: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(Array("seedtest-pipelines cursor".utf8) + payload).prefix(checksumLength))
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
