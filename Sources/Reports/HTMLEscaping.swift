/// Escapes text that comes from data (learner ids, topic names) for HTML element content and quoted attribute values.
///
/// `&`, `<`, `>`, `"` and `'` become character references, so `<script>alert(1)</script>` renders as text. Characters
/// an HTML document may not contain (control characters other than tab, line feed, form feed and carriage return,
/// C1 controls and Unicode noncharacters) become U+FFFD, so any learner id keeps the page well-formed.
public enum HTMLEscaping {
    /// `text` escaped for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text`, escaped, to a UTF-8 buffer. Printable ASCII without special characters, the common case for
    /// ids, is copied in one go.
    static func append(_ text: String, to bytes: inout [UInt8]) {
        let copied =
            text.utf8.withContiguousStorageIfAvailable { utf8 in
                guard utf8.allSatisfy(isPlain) else { return false }
                bytes.append(contentsOf: utf8)
                return true
            } ?? false
        if copied { return }
        for scalar in text.unicodeScalars {
            appendScalar(scalar, to: &bytes)
        }
    }

    /// Printable ASCII that needs no character reference.
    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): false
        default: byte >= 0x20 && byte < 0x7F
        }
    }

    private static func appendScalar(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        switch scalar.value {
        case 0x26: bytes.append(contentsOf: "&amp;".utf8)
        case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
        case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
        case 0x22: bytes.append(contentsOf: "&quot;".utf8)
        case 0x27: bytes.append(contentsOf: "&#39;".utf8)
        case 0x09, 0x0A, 0x0C, 0x0D, 0x20..<0x7F: bytes.append(UInt8(scalar.value))
        case 0..<0x20, 0x7F..<0xA0, 0xFDD0...0xFDEF: appendReplacement(to: &bytes)
        case let value where value & 0xFFFE == 0xFFFE: appendReplacement(to: &bytes)
        default: UTF8.encode(scalar) { bytes.append($0) }
        }
    }

    /// U+FFFD REPLACEMENT CHARACTER.
    private static func appendReplacement(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
}
