import IRT
import Testing
import UTCTime

@testable import Storage

/// The fast ingest scanner agrees with the general parser: same records for valid bodies, and never accepting a body
/// the general parser refuses (checked on thousands of random mutations).
@Suite struct AttemptScannerTests {
    static let now = Timestamp(rfc3339: "2026-11-26T12:00:00Z")!
    static let latest = now.adding(microseconds: AttemptRecord.futureAllowance)

    static func randomBody(_ random: inout SeededGenerator, records: Int, ndjson: Bool) -> [UInt8] {
        let ids = ["u1", "学习者", "Ωmega user", "emoji🙂", "a\\\"b", "x/y"]
        var parts: [String] = []
        for index in 0..<records {
            var fields = [
                #""user_id":"\#(ids[random.index(below: ids.count)])\#(index)""#,
                #""item_id":"q\#(random.index(below: 50))""#,
                #""correct":\#(random.uniform() < 0.5)"#,
                #""answered_at":"2026-11-\#(10 + random.index(below: 9))T0\#(random.index(below: 10)):1\#(random.index(below: 6)):00\#(random.uniform() < 0.5 ? ".125" : "")\#(random.uniform() < 0.5 ? "Z" : "+02:00")""#,
            ]
            if random.uniform() < 0.5 { fields.append(#""topic_id":\#(random.uniform() < 0.2 ? "null" : "\"t1\"")"#) }
            if random.uniform() < 0.5 { fields.append(#""session_id":"s\#(index)""#) }
            if random.uniform() < 0.5 { fields.append(#""response_time_ms":\#(random.index(below: 90_000))"#) }
            if random.uniform() < 0.5 {
                fields.append(#""hints":\#(random.uniform() < 0.2 ? "null" : String(random.index(below: 4)))"#)
            }
            var shuffled = fields
            for position in stride(from: shuffled.count - 1, to: 0, by: -1) {
                shuffled.swapAt(position, random.index(below: position + 1))
            }
            parts.append("{" + shuffled.joined(separator: random.uniform() < 0.5 ? "," : ", ") + "}")
        }
        let text = ndjson ? parts.joined(separator: "\n") + "\n" : "[" + parts.joined(separator: ",\n ") + "]"
        return Array(text.utf8)
    }

    func general(_ body: [UInt8], _ format: IngestFormat) -> [AttemptRecord]? {
        try? AttemptRecord.parseGenerally(body, format: format, maximumRecords: 1000, latest: Self.latest)
    }

    func fast(_ body: [UInt8], _ format: IngestFormat) -> [AttemptRecord]? {
        try? AttemptScanner.scan(body, format: format, maximumRecords: 1000, latest: Self.latest).records
    }

    @Test func agreesOnValidBodies() {
        var random = SeededGenerator(seed: 3)
        for round in 0..<200 {
            let ndjson = round % 2 == 0
            let format: IngestFormat = ndjson ? .ndjson : .jsonArray
            let body = Self.randomBody(&random, records: 1 + random.index(below: 20), ndjson: ndjson)
            let expected = general(body, format)
            #expect(expected != nil, "\(String(decoding: body, as: UTF8.self))")
            if let scanned = fast(body, format) { #expect(scanned == expected) }
        }
    }

    /// Strings are checked eight bytes at a time: a quote, backslash or control byte is found at every position.
    @Test func stringsEndAndAreRefusedAtEveryPosition() throws {
        func scan(_ text: [UInt8]) -> (bytes: [UInt8], isASCII: Bool)? {
            let body = [UInt8(ascii: "\"")] + text + Array("\" tail".utf8)
            return body.withUnsafeBufferPointer { buffer in
                var scanner = AttemptScanner(bytes: buffer, latest: Self.latest, newlinesInRecords: false)
                guard let (bytes, isASCII) = try? scanner.rawString() else { return nil }
                return (Array(bytes), isASCII)
            }
        }
        for length in 0...24 {
            let plain = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            #expect(scan(plain)?.bytes == plain)
            #expect(scan(plain)?.isASCII == true)
            for position in 0..<length {
                for refused: UInt8 in [0x00, 0x0A, 0x1F, UInt8(ascii: "\\")] {
                    var text = plain
                    text[position] = refused
                    #expect(scan(text) == nil, "\(refused) at \(position) of \(length)")
                }
                var wide = plain
                wide[position] = 0xC3
                #expect(scan(wide)?.isASCII == false)
                #expect(scan(wide)?.bytes == wide)
                var quoted = plain
                quoted[position] = UInt8(ascii: "\"")
                #expect(scan(quoted)?.bytes == Array(plain[..<position]))
                var deleted = plain
                deleted[position] = 0x7F
                #expect(scan(deleted)?.bytes == deleted, "DEL is not a control character in JSON")
            }
        }
        var random = SeededGenerator(seed: 5)
        for _ in 0..<10_000 {
            let word = (0..<8).reduce(UInt64(0)) { word, index in
                let byte = UInt64([0x00, 0x1F, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0xFF][random.index(below: 8)])
                return word | (random.uniform() < 0.5 ? byte : UInt64(random.index(below: 256))) << (8 * index)
            }
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
            let first = bytes.firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            let flagged = AttemptScanner.specialBytes(word)
            #expect((flagged == 0 ? nil : flagged.trailingZeroBitCount / 8) == first, "\(bytes)")
        }
    }

    @Test func neverAcceptsWhatTheGeneralParserRefuses() {
        var random = SeededGenerator(seed: 4)
        let replacements = Array("{}[],:\"\\ \n\t0123456789-.eEtrufalsn+Z".utf8) + [0x00, 0x7F, 0xC3, 0xFF]
        var accepted = 0
        for round in 0..<4000 {
            let ndjson = round % 2 == 0
            let format: IngestFormat = ndjson ? .ndjson : .jsonArray
            var body = Self.randomBody(&random, records: 1 + random.index(below: 4), ndjson: ndjson)
            let position = random.index(below: body.count)
            switch random.index(below: 3) {
            case 0: body[position] = replacements[random.index(below: replacements.count)]
            case 1: body.remove(at: position)
            default: body.insert(replacements[random.index(below: replacements.count)], at: position)
            }
            guard let scanned = fast(body, format) else { continue }
            accepted += 1
            #expect(general(body, format) == scanned, "\(String(decoding: body, as: UTF8.self))")
        }
        #expect(accepted > 100, "some mutations stay valid and must be read the same way")
    }
}
