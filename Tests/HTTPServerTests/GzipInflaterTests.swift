import Gzip
import Testing

/// Inflating step by step gives exactly what inflating whole gives, whatever the step, across members and past the
/// size the trailer states; the limit and bad data fail the same way, and keep failing.
@Suite struct GzipInflaterTests {
    /// Inflates `compressed` in steps of `step`, checking after each that the bytes so far are a prefix of `expected`.
    static func inflateInSteps(_ compressed: [UInt8], step: Int, limit: Int, expected: [UInt8]) throws -> [UInt8] {
        let inflater = try GzipInflater(compressed, limit: limit)
        var steps = 0
        while !inflater.isFinished {
            let before = inflater.count
            try inflater.inflate(atLeast: step)
            #expect(inflater.isFinished || inflater.count >= before + step, "a step inflates at least what it asks")
            #expect(Array(inflater.inflated) == Array(expected[..<inflater.count]))
            steps += 1
        }
        if step < expected.count { #expect(steps >= 2, "data larger than a step came in several steps") }
        return try inflater.finish()
    }

    @Test(arguments: [1, 4095, 100_000, 1 << 20, 1 << 30])
    func stepsGiveWhatDecompressGives(step: Int) throws {
        let payload = GzipTests.payload
        let members = (0..<3).map { index in Array(payload[(index * 500_000)..<((index + 1) * 500_000)]) }
        // The last member is small, so the trailer understates the size and the buffer must grow.
        let expected = members.reduce([], +) + Array("tail".utf8)
        let joined = try members.map { try Gzip.compress($0) }.reduce([], +) + Gzip.compress(Array("tail".utf8))
        let data = step == 1 ? Array(expected[..<70_000]) : expected
        let compressed = step == 1 ? try Gzip.compress(data) : joined
        #expect(try Self.inflateInSteps(compressed, step: step, limit: 2_000_000, expected: data) == data)
        #expect(try Gzip.decompress(compressed, limit: 2_000_000) == data)
    }

    @Test func theLimitAndBadDataFailAsDecompressDoes() throws {
        let data = Array(repeating: UInt8(ascii: "z"), count: 300_000)
        let compressed = try Gzip.compress(data)
        #expect(try GzipInflater(compressed, limit: 300_000).finish() == data)
        let tooSmall = try GzipInflater(compressed, limit: 299_999)
        #expect(throws: GzipError.tooLarge(limit: 299_999)) { try tooSmall.finish() }
        #expect(throws: GzipError.tooLarge(limit: 299_999)) { try tooSmall.inflate(atLeast: 1) }

        // Two members: the trailer states only the second's 100,000 bytes, so the limit is met while growing.
        let members = try Gzip.compress(Array(data[..<200_000])) + Gzip.compress(Array(data[200_000...]))
        #expect(try GzipInflater(members, limit: 300_000).finish() == data)
        #expect(throws: GzipError.tooLarge(limit: 299_999)) { try GzipInflater(members, limit: 299_999).finish() }
        // `finish` copies once and frees the buffer: a second call gives the same data.
        let twice = try GzipInflater(compressed, limit: 300_000)
        #expect(try twice.finish() == data)
        #expect(try twice.finish() == data)
        #expect(twice.inflated.isEmpty)

        let cut = try GzipInflater(Array(compressed[..<(compressed.count - 12)]), limit: 1 << 20)
        #expect(throws: GzipError.corrupt("truncated data")) { try cut.finish() }
        #expect(throws: GzipError.corrupt("truncated data")) { try cut.finish() }
        #expect(throws: GzipError.corrupt("empty body")) { try GzipInflater([], limit: 10) }
        let garbage = try GzipInflater(Array("not gzip at all".utf8), limit: 100)
        #expect(throws: GzipError.self) { try garbage.inflate(atLeast: 1) }
    }
}
