import UTCTime

/// The fast path of attempt ingest: reads flat JSON objects straight from the body's bytes into an `AttemptBatch`
/// whose ids are ranges of the body, without building a JSON tree or a string (a tree per record costs several times
/// as much). It is strict — anything it does not fully understand (bad syntax, an unexpected type, an unknown or
/// repeated field) makes it give up, and the caller then runs the general parser, which produces the exact error
/// message. So the scanner only has to be right about valid input and never accept invalid input.
package struct AttemptScanner {
    package struct GiveUp: Error {}

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    let latest: Timestamp
    /// NDJSON records must stay on their line: inside a record, a newline is not whitespace.
    let newlinesInRecords: Bool

    init(bytes: UnsafeBufferPointer<UInt8>, latest: Timestamp, newlinesInRecords: Bool) {
        self.bytes = bytes
        self.latest = latest
        self.newlinesInRecords = newlinesInRecords
    }

    /// All records of a JSON array or NDJSON body, or `GiveUp`.
    package static func scan(_ body: [UInt8], format: IngestFormat, maximumRecords: Int, latest: Timestamp)
        throws(GiveUp)
        -> AttemptBatch
    {
        var records: [AttemptBatch.Row] = []
        records.reserveCapacity(min(maximumRecords, body.count / 80 + 1))
        do {
            try body.withUnsafeBufferPointer { buffer in
                try forEachRecord(in: buffer, format: format, maximumRecords: maximumRecords, latest: latest) {
                    records.append($0)
                }
            }
        } catch {
            // `append` cannot throw: the only error is the scanner's own.
            throw GiveUp()
        }
        return AttemptBatch(bytes: body, rows: records)
    }

    /// Hands each record of a JSON array or NDJSON body to `visit` as soon as it is read, its ids ranges of `buffer`;
    /// throws `GiveUp` (possibly after some records were visited) when the body is not one the scanner fully
    /// understands, holds no record or more than `maximumRecords`, and rethrows what `visit` throws.
    static func forEachRecord(
        in buffer: UnsafeBufferPointer<UInt8>, format: IngestFormat, maximumRecords: Int, latest: Timestamp,
        _ visit: (AttemptBatch.Row) throws -> Void
    ) throws {
        guard buffer.count <= Int(UInt32.max) else { throw GiveUp() }
        var scanner = AttemptScanner(bytes: buffer, latest: latest, newlinesInRecords: format == .jsonArray)
        var count = 0
        switch format {
        case .jsonArray:
            scanner.skipWhitespace()
            try scanner.expect(UInt8(ascii: "["))
            scanner.skipWhitespace()
            if scanner.peek() == UInt8(ascii: "]") {
                scanner.index += 1
            } else {
                while true {
                    guard count < maximumRecords else { throw GiveUp() }
                    scanner.skipWhitespace()
                    try visit(try scanner.record())
                    count += 1
                    scanner.skipWhitespace()
                    if scanner.peek() == UInt8(ascii: ",") {
                        scanner.index += 1
                        continue
                    }
                    try scanner.expect(UInt8(ascii: "]"))
                    break
                }
            }
            scanner.skipWhitespace()
            guard scanner.index == buffer.count else { throw GiveUp() }
        case .ndjson:
            try forEachLine(in: buffer, from: 0, count: &count, maximumRecords: maximumRecords, latest: latest, visit)
        }
        guard count > 0 else { throw GiveUp() }
    }

    /// Hands each NDJSON record of `buffer[start...]` to `visit`, adding to `count`; `buffer` ends at the end of the
    /// body or just after a newline, so that a body can be scanned a part at a time as it is inflated (ids stay
    /// ranges of the whole buffer). Throws `GiveUp` as `forEachRecord` does, but not for zero records.
    static func forEachLine(
        in buffer: UnsafeBufferPointer<UInt8>, from start: Int, count: inout Int, maximumRecords: Int,
        latest: Timestamp, _ visit: (AttemptBatch.Row) throws -> Void
    ) throws {
        guard buffer.count <= Int(UInt32.max) else { throw GiveUp() }
        var scanner = AttemptScanner(bytes: buffer, latest: latest, newlinesInRecords: false)
        scanner.index = start
        while true {
            scanner.skipWhitespace(newlines: true)
            guard scanner.index < buffer.count else { break }
            guard count < maximumRecords else { throw GiveUp() }
            try visit(try scanner.record())
            count += 1
            // The rest of the line may hold only spaces, tabs and a carriage return.
            while let byte = scanner.peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D { scanner.index += 1 }
            guard scanner.index == buffer.count || scanner.peek() == 0x0A else { throw GiveUp() }
        }
    }

    @inline(__always) func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    @inline(__always) mutating func expect(_ byte: UInt8) throws(GiveUp) {
        guard peek() == byte else { throw GiveUp() }
        index += 1
    }

    mutating func skipWhitespace(newlines: Bool? = nil) {
        let skipNewlines = newlines ?? newlinesInRecords
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || (skipNewlines && byte == 0x0A) {
            index += 1
        }
    }

    /// One flat object with the attempt fields; each field at most once.
    mutating func record() throws(GiveUp) -> AttemptBatch.Row {
        try expect(UInt8(ascii: "{"))
        var user = AttemptBatch.Span.null
        var item = AttemptBatch.Span.null
        var correct: Bool?
        var answeredAt: Timestamp?
        var topic = AttemptBatch.Span.null
        var session = AttemptBatch.Span.null
        var time: Int32 = -1
        var hints: Int32 = -1
        var seen: UInt8 = 0
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { throw GiveUp() }
        while true {
            skipWhitespace()
            let field = try key()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            guard seen & field.bit == 0 else { throw GiveUp() }
            seen |= field.bit
            switch field {
            case .userID: user = try identifier(required: true)
            case .itemID: item = try identifier(required: true)
            case .topicID: topic = try identifier(required: false)
            case .sessionID: session = try identifier(required: false)
            case .correct: correct = try boolean()
            case .answeredAt: answeredAt = try timestamp()
            case .responseTimeMs: time = try count()
            case .hints: hints = try count()
            }
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            break
        }
        guard !user.isNull, !item.isNull, let correct, let answeredAt else { throw GiveUp() }
        return AttemptBatch.Row(
            user: user, item: item, topic: topic, session: session, answeredAt: answeredAt, responseTimeMs: time,
            hints: hints, correct: correct)
    }

    /// The field a key names. A key written as its bare name in quotes (as encoders write them) is recognised by its
    /// first letter and one comparison; any other key is read as a string first (and refused if it names no field).
    mutating func key() throws(GiveUp) -> AttemptField {
        if let field = AttemptField(quotedAt: index, in: bytes) {
            index += field.quotedName.utf8CodeUnitCount
            return field
        }
        guard let field = AttemptField(try rawString().bytes) else { throw GiveUp() }
        return field
    }

    /// The bytes of a string without escapes (a string with escapes is left to the general parser), and whether they
    /// are all ASCII. Eight bytes are checked at a time while none of them ends the string or is refused.
    mutating func rawString() throws(GiveUp) -> (bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = index
        var seenBits: UInt64 = 0
        // `bytes` is non-empty (`expect` just consumed its quote), so its base address is non-nil.
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: (base + index).loadUnaligned(as: UInt64.self))
            let special = Self.specialBytes(word)
            if special != 0 {
                // The lowest flagged byte is exact; the bytes before it are ordinary.
                let ordinary = special.trailingZeroBitCount / 8
                seenBits |= word & ((1 << (8 * UInt64(ordinary))) &- 1)
                index += ordinary
                break
            }
            seenBits |= word
            index += 8
        }
        while let byte = peek() {
            if byte == UInt8(ascii: "\"") {
                let value = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return (value, seenBits & 0x8080_8080_8080_8080 == 0)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { throw GiveUp() }
            seenBits |= UInt64(byte)
            index += 1
        }
        throw GiveUp()
    }

    /// The high bit of each byte of `word` (read little-endian) that is a quote, a backslash or a control character;
    /// the lowest one set marks the first such byte exactly (borrows only run upwards).
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quotes = zeroBytes(word ^ (ones &* 0x22))
        let backslashes = zeroBytes(word ^ (ones &* 0x5C))
        let controls = (word &- ones &* 0x20) & ~word & highs
        return quotes | backslashes | controls
    }

    mutating func isNull() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// 1–128 Unicode scalars of valid UTF-8 (no NUL: raw control bytes are already refused), as a range of the body.
    mutating func identifier(required: Bool) throws(GiveUp) -> AttemptBatch.Span {
        if isNull() {
            if required { throw GiveUp() }
            return .null
        }
        let (raw, isASCII) = try rawString()
        if isASCII {
            guard raw.count >= 1 && raw.count <= 128 else { throw GiveUp() }
        } else {
            var scalars = 0
            for byte in raw where byte & 0xC0 != 0x80 { scalars += 1 }
            guard scalars >= 1 && scalars <= 128 else { throw GiveUp() }
            // ASCII is valid UTF-8 as it stands; anything else is checked by the stdlib's validating initializer.
            guard String(validating: raw, as: UTF8.self) != nil else { throw GiveUp() }
        }
        // Both base addresses are non-nil: `raw` holds ≥ 1 byte (checked above) and is a slice of `bytes`.
        return AttemptBatch.Span(
            offset: UInt32(truncatingIfNeeded: raw.baseAddress! - bytes.baseAddress!), length: Int32(raw.count))
    }

    mutating func boolean() throws(GiveUp) -> Bool {
        if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "t"), bytes[index + 1] == UInt8(ascii: "r"),
            bytes[index + 2] == UInt8(ascii: "u"), bytes[index + 3] == UInt8(ascii: "e")
        {
            index += 4
            return true
        }
        if index + 5 <= bytes.count, bytes[index] == UInt8(ascii: "f"), bytes[index + 1] == UInt8(ascii: "a"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "s"),
            bytes[index + 4] == UInt8(ascii: "e")
        {
            index += 5
            return false
        }
        throw GiveUp()
    }

    /// A non-negative integer that fits PostgreSQL's `integer` (no fraction, exponent or leading zeros), or -1 for
    /// null.
    mutating func count() throws(GiveUp) -> Int32 {
        if isNull() { return -1 }
        var value = 0
        let start = index
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            index += 1
            guard value <= Int(Int32.max) else { throw GiveUp() }
        }
        let digits = index - start
        guard digits >= 1, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw GiveUp() }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw GiveUp()
        }
        return Int32(value)
    }

    /// RFC 3339 with a zone, not in the future, not before 1970.
    mutating func timestamp() throws(GiveUp) -> Timestamp {
        let raw = try rawString().bytes
        guard let instant = Timestamp(rfc3339Bytes: raw), instant <= latest, instant.microseconds >= 0 else {
            throw GiveUp()
        }
        return instant
    }
}

/// The fields of an attempt record, by their JSON names.
enum AttemptField {
    case userID, itemID, correct, answeredAt, topicID, sessionID, responseTimeMs, hints

    init?(_ key: UnsafeBufferPointer<UInt8>) {
        switch key.count {
        case 5 where Self.matches(key, "hints"): self = .hints
        case 7 where Self.matches(key, "user_id"): self = .userID
        case 7 where Self.matches(key, "item_id"): self = .itemID
        case 7 where Self.matches(key, "correct"): self = .correct
        case 8 where Self.matches(key, "topic_id"): self = .topicID
        case 10 where Self.matches(key, "session_id"): self = .sessionID
        case 11 where Self.matches(key, "answered_at"): self = .answeredAt
        case 16 where Self.matches(key, "response_time_ms"): self = .responseTimeMs
        default: return nil
        }
    }

    /// The field whose name, in quotes, starts at `index` of `bytes` (`"user_id"`, the closing quote included).
    init?(quotedAt index: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "u"): self = .userID
        case UInt8(ascii: "i"): self = .itemID
        case UInt8(ascii: "c"): self = .correct
        case UInt8(ascii: "a"): self = .answeredAt
        case UInt8(ascii: "t"): self = .topicID
        case UInt8(ascii: "s"): self = .sessionID
        case UInt8(ascii: "r"): self = .responseTimeMs
        case UInt8(ascii: "h"): self = .hints
        default: return nil
        }
        let name = quotedName
        let count = name.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        // Non-nil: `bytes` holds at least `index + 2` bytes. Compared eight bytes at a time (a call to `memcmp` costs
        // more than the comparison itself at these lengths): the last word may overlap the one before.
        let start = UnsafeRawPointer(bytes.baseAddress! + index)
        let expected = UnsafeRawPointer(name.utf8Start)
        guard count >= 8 else {
            for offset in 0..<count where start.load(fromByteOffset: offset, as: UInt8.self) != name.utf8Start[offset] {
                return nil
            }
            return
        }
        var offset = 0
        while true {
            offset = min(offset, count - 8)
            guard (start + offset).loadUnaligned(as: UInt64.self) == (expected + offset).loadUnaligned(as: UInt64.self)
            else { return nil }
            if offset == count - 8 { return }
            offset += 8
        }
    }

    /// The field's name in quotes, as a key is written without escapes.
    var quotedName: StaticString {
        switch self {
        case .userID: return "\"user_id\""
        case .itemID: return "\"item_id\""
        case .correct: return "\"correct\""
        case .answeredAt: return "\"answered_at\""
        case .topicID: return "\"topic_id\""
        case .sessionID: return "\"session_id\""
        case .responseTimeMs: return "\"response_time_ms\""
        case .hints: return "\"hints\""
        }
    }

    /// Byte comparison with a literal of the same length (the generic `elementsEqual` costs several times more).
    private static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let expected = name.utf8Start
        for offset in 0..<key.count where key[offset] != expected[offset] { return false }
        return true
    }

    var bit: UInt8 {
        switch self {
        case .userID: return 1
        case .itemID: return 2
        case .correct: return 4
        case .answeredAt: return 8
        case .topicID: return 16
        case .sessionID: return 32
        case .responseTimeMs: return 64
        case .hints: return 128
        }
    }
}
