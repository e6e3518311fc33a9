/// Bytes as lower-case hexadecimal text, the form digests and signatures travel in.
public enum Hexadecimal {
    /// `bytes` as lower-case hexadecimal digits, two per byte.
    public static func lowercase(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
