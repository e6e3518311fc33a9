import Hashing
import Testing

/// HMAC-SHA256 against the seven test cases of RFC 4231 §4 (keys shorter than, equal to and longer than the block).
struct HMACSHA256Tests {
    static let longKey = [UInt8](repeating: 0xaa, count: 131)

    @Test(arguments: [
        (
            [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            [UInt8](1...25), [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            longKey, Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            longKey,
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                    + "to be hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func rfc4231(key: [UInt8], data: [UInt8], expected: String) {
        #expect(HMACSHA256.hexCode(key: key, message: data) == expected)
        #expect(HMACSHA256.authenticationCode(key: key, message: data).count == 32)
    }

    /// Test case 5 gives only the first 128 bits of the code.
    @Test func rfc4231TruncatedCase() {
        let code = HMACSHA256.hexCode(
            key: [UInt8](repeating: 0x0c, count: 20), message: Array("Test With Truncation".utf8))
        #expect(code.hasPrefix("a3b6167473100ee06e0c796c2955552b"))
    }

    /// A 64-byte key is used as it is, a 65-byte key hashed first: the two must differ from their neighbours.
    @Test func blockSizeKeysAreDistinct() {
        let message = Array("body".utf8)
        let codes = [63, 64, 65].map { HMACSHA256.hexCode(key: [UInt8](repeating: 0x61, count: $0), message: message) }
        #expect(Set(codes).count == 3)
    }
}
