import Gzip
import Testing

/// zlib's own failures and a caller's impossible limit are thrown, never a crash of the process.
@Suite struct GzipFailureTests {
    @Test func aLevelZlibRefusesIsThrown() {
        #expect {
            try Gzip.compress(Array("text".utf8), level: 42)
        } throws: { error in
            guard case .zlib(let reason) = error as? GzipError else { return false }
            return reason.contains("deflateInit2")
        }
    }

    @Test func aNegativeLimitIsExceededByAnyOutput() throws {
        let compressed = try Gzip.compress([])
        #expect(try Gzip.decompress(compressed, limit: 0).isEmpty)
        #expect(throws: GzipError.tooLarge(limit: -1)) { try Gzip.decompress(compressed, limit: -1) }
    }
}
