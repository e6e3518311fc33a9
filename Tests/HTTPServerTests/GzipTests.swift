import Gzip
import Testing

/// Inflating request bodies: the size the trailer states, growth past it, concatenated members, the limit to the byte,
/// bad data.
@Suite struct GzipTests {
    /// Varied bytes that compress well but not absurdly.
    static let payload: [UInt8] = (0..<3_000_000).map { UInt8(truncatingIfNeeded: ($0 / 7) &* 31 ^ ($0 % 13)) }

    @Test func roundTripsLargeAndEmptyPayloads() throws {
        let compressed = try Gzip.compress(Self.payload)
        #expect(compressed.count * 4 < Self.payload.count)
        #expect(try Gzip.decompress(compressed, limit: 10_000_000) == Self.payload)
        #expect(try Gzip.decompress(Gzip.compress([]), limit: 10).isEmpty)
        let small = try Gzip.decompress(Gzip.compress(Array("small".utf8)), limit: 100)
        #expect(small == Array("small".utf8))
        #expect(small.capacity < 1024, "the first guess (at least 64 KiB) is not kept for a small body")
    }

    @Test func concatenatedMembersInflateToTheirConcatenation() throws {
        let first = Array("first member\n".utf8)
        let second = Array(repeating: UInt8(ascii: "b"), count: 200_000)
        let joined = try Gzip.compress(first) + Gzip.compress(second)
        #expect(try Gzip.decompress(joined, limit: 1 << 20) == first + second)
    }

    /// The trailer states only the last member's size: a small last member makes the output grow several times.
    @Test func outputGrowsPastTheSizeTheTrailerStates() throws {
        let members = (0..<6).map { index in Array(Self.payload[(index * 400_000)..<((index + 1) * 400_000)]) }
        let joined = try members.map { try Gzip.compress($0) }.reduce([], +) + Gzip.compress(Array("tail".utf8))
        let inflated = try Gzip.decompress(joined, limit: 3_000_000)
        #expect(inflated == Array(Self.payload[..<2_400_000]) + Array("tail".utf8))
        #expect(inflated.capacity - inflated.count <= inflated.count / 4, "doubling's spare capacity is not kept")
        #expect(throws: GzipError.tooLarge(limit: 2_400_003)) { try Gzip.decompress(joined, limit: 2_400_003) }
    }

    @Test func theLimitHoldsToTheByte() throws {
        let data = Array(repeating: UInt8(ascii: "z"), count: 100_000)
        let compressed = try Gzip.compress(data)
        #expect(try Gzip.decompress(compressed, limit: 100_000) == data)
        #expect(throws: GzipError.tooLarge(limit: 99_999)) { try Gzip.decompress(compressed, limit: 99_999) }
    }

    @Test func truncatedAndForeignDataAreCorrupt() throws {
        let compressed = try Gzip.compress(Self.payload)
        for cut in [10, compressed.count / 2, compressed.count - 4] {
            #expect {
                try Gzip.decompress(Array(compressed[..<cut]), limit: 10_000_000)
            } throws: { error in
                guard case .corrupt = error as? GzipError else { return false }
                return true
            }
        }
        #expect(throws: GzipError.corrupt("empty body")) { try Gzip.decompress([], limit: 10) }
        #expect {
            try Gzip.decompress(Array("plain text, not gzip".utf8), limit: 100)
        } throws: { error in
            guard case .corrupt = error as? GzipError else { return false }
            return true
        }
    }
}
