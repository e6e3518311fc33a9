/// Object keys in request paths.
///
/// A key is any UTF-8 text up to 1024 bytes (S3's limit); user ids in keys may contain spaces, `<script>`, `/` or
/// `..`. Each `/`-separated segment is percent-encoded with the SigV4 rule — everything except `A–Z a–z 0–9 - _ .
/// ~` as `%XX` of its UTF-8 bytes, upper-case hex — and the `/` separators are kept. This is exactly the canonical
/// URI that the server recomputes from the decoded key, so signatures match; the client also sends paths as-is
/// (`CURLOPT_PATH_AS_IS`) so that `.` and `..` segments are not collapsed on the way.
public enum ObjectKey {
    /// S3's limit on the UTF-8 length of a key.
    public static let maxBytes = 1024

    /// The key with each segment percent-encoded and `/` kept: `reports/a b/é.html` → `reports/a%20b/%C3%A9.html`.
    public static func percentEncoded(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map(encodeSegment).joined(separator: "/")
    }

    /// Whether `key` can name an object: not empty and at most `maxBytes` bytes of UTF-8.
    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= maxBytes
    }

    static func encodeSegment(_ segment: Substring) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(segment.utf8.count)
        for byte in segment.utf8 {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hex[Int(byte >> 4)])
                encoded.append(hex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// RFC 3986 unreserved characters, the only ones SigV4 leaves unencoded.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
