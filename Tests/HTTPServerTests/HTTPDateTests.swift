import Glibc
import Testing

@testable import HTTPServer

/// The `Date` header, formatted without `gmtime_r`, against glibc's own conversion.
@Suite struct HTTPDateTests {
    static func viaGlibc(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func ours(_ seconds: Int) -> String {
        var line: [UInt8] = []
        HTTPDate.append(epochSeconds: seconds, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    @Test func matchesGlibcAcrossLeapYearsCenturiesAndDayEnds() {
        // Every 61,001 s from 1970 to 2101 (crosses month ends, 29 February, 2000 and 2100) plus fixed edges.
        var samples = Array(stride(from: 0, to: 4_133_980_800, by: 61_001))
        samples += [784_111_777, 951_782_400, 951_868_799, 4_107_456_000, 4_107_542_399, 1_798_761_599]
        for seconds in samples {
            #expect(Self.ours(seconds) == Self.viaGlibc(seconds), "at \(seconds)")
        }
        #expect(Self.ours(784_111_777) == "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
    }

    @Test func theHeaderLineIsNow() {
        let before = Int(time(nil))
        let line = String(decoding: HTTPDate.headerLine(), as: UTF8.self)
        let after = Int(time(nil))
        #expect(line == Self.viaGlibc(before) || line == Self.viaGlibc(after))
    }
}
