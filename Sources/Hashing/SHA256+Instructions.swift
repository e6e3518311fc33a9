#if arch(x86_64)
    internal import _Builtin_intrinsics.intel
    internal import _Builtin_intrinsics.intel.cpuid

    /// Whole blocks through the x86 SHA extensions (SHA-NI: `sha256rnds2`, `sha256msg1`, `sha256msg2`), about seven
    /// times the portable rounds on this project's machines (1.7 GB/s against 0.24 GB/s on 10 KB messages). The
    /// weekly reports hash every page they store, about a gigabyte a run, and the portable rounds were 29% of that
    /// stage's CPU.
    ///
    /// The module is compiled with the `sha` feature (`Package.swift`), which lets the compiler emit these
    /// instructions and nothing else new (it implies only SSE2, the x86-64 baseline); they run only where CPUID says
    /// the processor has them. Without the feature the compiler inlines the intrinsics into code that may not use
    /// them and stops with "Cannot select: intrinsic …sha256rnds2".
    ///
    /// The state is held as the instructions want it: one vector of A, B, E, F and one of C, D, G, H, lanes from the
    /// last word to the first. Each `sha256rnds2` does two rounds with the message words plus constants in its third
    /// operand's low lanes, returning the new A, B, E, F; the old ones become the new C, D, G, H.
    extension SHA256 {
        /// Four 32-bit lanes, the layout of an SSE register as the intrinsics see it.
        typealias Lanes = SIMD4<UInt32>

        /// Whether this processor has the SHA extensions (CPUID leaf 7, EBX bit 29).
        static let hasInstructions: Bool = {
            var eax: UInt32 = 0
            var ebx: UInt32 = 0
            var ecx: UInt32 = 0
            var edx: UInt32 = 0
            return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0 && ebx & (1 << 29) != 0
        }()

        /// The round constants four at a time.
        static let constantLanes: [Lanes] = (0..<16).map { group in
            Lanes(
                roundConstants[4 * group], roundConstants[4 * group + 1], roundConstants[4 * group + 2],
                roundConstants[4 * group + 3])
        }

        /// Runs the 64 rounds over whole 64-byte blocks with the SHA extensions. Only where `hasInstructions` is true.
        ///
        /// Never inlined: the instructions may only appear in this module, the one compiled with the feature.
        @inline(never)
        static func compressWithInstructions(_ state: inout State, blocks: UnsafeRawBufferPointer) {
            guard let base = blocks.baseAddress else { return }
            var abef = Lanes(state.5, state.4, state.1, state.0)
            var cdgh = Lanes(state.7, state.6, state.3, state.2)
            constantLanes.withUnsafeBufferPointer { constants in
                /// Four rounds: the group's message words plus constants, two rounds on each half.
                @inline(__always) func rounds(_ words: Lanes, group: Int) {
                    let sum = words &+ constants[group]
                    cdgh = lanes(_mm_sha256rnds2_epu32(vector(cdgh), vector(abef), vector(sum)))
                    abef = lanes(
                        _mm_sha256rnds2_epu32(vector(abef), vector(cdgh), vector(Lanes(sum[2], sum[3], sum[2], sum[3])))
                    )
                }
                for offset in stride(from: 0, to: blocks.count, by: 64) {
                    let block = base + offset
                    let (startABEF, startCDGH) = (abef, cdgh)
                    // The schedule's last sixteen words, four per vector, oldest first.
                    var w0 = words(block, 0)
                    var w1 = words(block, 16)
                    var w2 = words(block, 32)
                    var w3 = words(block, 48)
                    rounds(w0, group: 0)
                    rounds(w1, group: 1)
                    rounds(w2, group: 2)
                    rounds(w3, group: 3)
                    for group in 4..<16 {
                        // W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]: msg1 adds σ0, W[t−7] is the four words
                        // from w2[1], and msg2 adds σ1, including that of the words it is computing.
                        let sevenBack = Lanes(w2[1], w2[2], w2[3], w3[0])
                        let partial = lanes(_mm_sha256msg1_epu32(vector(w0), vector(w1))) &+ sevenBack
                        let next = lanes(_mm_sha256msg2_epu32(vector(partial), vector(w3)))
                        rounds(next, group: group)
                        (w0, w1, w2, w3) = (w1, w2, w3, next)
                    }
                    abef &+= startABEF
                    cdgh &+= startCDGH
                }
            }
            state = (abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0])
        }

        /// Four big-endian message words from `offset`, the first in lane 0.
        @inline(__always)
        private static func words(_ block: UnsafeRawPointer, _ offset: Int) -> Lanes {
            Lanes(
                UInt32(bigEndian: block.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                UInt32(bigEndian: block.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)),
                UInt32(bigEndian: block.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)),
                UInt32(bigEndian: block.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
        }

        @inline(__always) private static func vector(_ lanes: Lanes) -> __m128i {
            unsafeBitCast(lanes, to: __m128i.self)
        }
        @inline(__always) private static func lanes(_ vector: __m128i) -> Lanes {
            unsafeBitCast(vector, to: Lanes.self)
        }
    }
#else
    extension SHA256 {
        /// The SHA extensions are used on x86-64 only.
        static let hasInstructions = false

        /// Not reached (`hasInstructions` is false): the portable rounds.
        static func compressWithInstructions(_ state: inout State, blocks: UnsafeRawBufferPointer) {
            compress(&state, blocks: blocks)
        }
    }
#endif
