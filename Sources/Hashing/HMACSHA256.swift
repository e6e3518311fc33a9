/// HMAC-SHA256 (RFC 2104 over FIPS 180-4), for the signature of webhook posts, built on `SHA256`.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes: keys longer than this are hashed first, shorter ones padded with zeros.
    static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var block = key.count > blockSize ? SHA256.hash(key) : Array(key)
        block.append(contentsOf: repeatElement(0, count: blockSize - block.count))
        let inner = SHA256.hash(block.map { $0 ^ 0x36 } + Array(message))
        return SHA256.hash(block.map { $0 ^ 0x5c } + inner)
    }

    /// The code as 64 lower-case hexadecimal digits.
    public static func hexCode(key: some Collection<UInt8>, message: some Collection<UInt8>) -> String {
        Hexadecimal.lowercase(authenticationCode(key: key, message: message))
    }
}
