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
