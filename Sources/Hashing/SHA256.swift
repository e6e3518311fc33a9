/// SHA-256 (FIPS 180-4), for the `x-amz-content-sha256` payload hash of signed S3 requests and the checksum of every
/// stored report.
///
/// Written here because the toolchain on Linux has no CryptoKit and libcurl does not export its own. Hashing is one
/// pass over the bytes in place: whole blocks are read straight from the caller's buffer, only the padded tail is
/// copied, and the portable rounds keep the message schedule in a stack buffer (the weekly reports hash about a
/// gigabyte a run). Where the processor has the SHA extensions, whole blocks go through them instead
/// (`SHA256+Instructions.swift`).
public enum SHA256 {
    /// The eight working words a…h of the hash state.
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// The digest as 64 lower-case hexadecimal digits.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        Hexadecimal.lowercase(hash(bytes))
    }

    /// The digest of contiguous bytes: every whole block in place, then the last partial block with the padding (the
    /// 0x80 byte, zeros and the 64-bit bit length) in one or two blocks of a 128-byte buffer. `instructions` chooses
    /// the SHA extensions or the portable rounds (both give the same digest); it may be true only where
    /// `hasInstructions` is.
    static func hash(_ message: UnsafeRawBufferPointer, instructions: Bool = hasInstructions) -> [UInt8] {
        precondition(!instructions || hasInstructions, "this processor has no SHA extensions")
        var state: State = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        let whole = message.count / 64 * 64
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0)
            let rest = message.count - whole
            if rest > 0 { tail.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[whole...])) }
            tail[rest] = 0x80
            let length = rest < 56 ? 64 : 128
            tail.storeBytes(of: (UInt64(message.count) &* 8).bigEndian, toByteOffset: length - 8, as: UInt64.self)
            let padded = UnsafeRawBufferPointer(rebasing: tail[..<length])
            if instructions {
                compressWithInstructions(&state, blocks: UnsafeRawBufferPointer(rebasing: message[..<whole]))
                compressWithInstructions(&state, blocks: padded)
            } else {
                compress(&state, blocks: UnsafeRawBufferPointer(rebasing: message[..<whole]))
                compress(&state, blocks: padded)
            }
        }
        var digest = [UInt8](repeating: 0, count: 32)
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        for (index, word) in words.enumerated() {
            digest[4 * index] = UInt8(truncatingIfNeeded: word >> 24)
            digest[4 * index + 1] = UInt8(truncatingIfNeeded: word >> 16)
            digest[4 * index + 2] = UInt8(truncatingIfNeeded: word >> 8)
            digest[4 * index + 3] = UInt8(truncatingIfNeeded: word)
        }
        return digest
    }

    /// Runs the portable rounds over whole 64-byte blocks.
    static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                for offset in stride(from: 0, to: blocks.count, by: 64) {
                    compress(
                        &state, block: UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]),
                        schedule: schedule, constants: constants)
                }
            }
        }
    }

    /// Expands one 64-byte block into the message schedule and runs the 64 rounds on the state.
    private static func compress(
        _ state: inout State, block: UnsafeRawBufferPointer, schedule: UnsafeMutableBufferPointer<UInt32>,
        constants: UnsafeBufferPointer<UInt32>
    ) {
        for index in 0..<16 {
            schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
        }
        for index in 16..<64 {
            let early = schedule[index - 15]
            let late = schedule[index - 2]
            let sigma0 = rotate(early, 7) ^ rotate(early, 18) ^ (early >> 3)
            let sigma1 = rotate(late, 17) ^ rotate(late, 19) ^ (late >> 10)
            schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
        }
        var (a, b, c, d, e, f, g, h) = state
        for index in 0..<64 {
            let sum1 = rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)
            let choice = g ^ (e & (f ^ g))
            let temp1 = h &+ sum1 &+ choice &+ constants[index] &+ schedule[index]
            let sum0 = rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)
            let majority = (a & b) | (c & (a | b))
            let temp2 = sum0 &+ majority
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
        }
        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
        state.4 &+= e
        state.5 &+= f
        state.6 &+= g
        state.7 &+= h
    }

    @inline(__always) private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
