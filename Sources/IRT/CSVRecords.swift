/// The CSV grammar of `CSVText` over raw UTF-8 bytes, handing each record over as byte ranges instead of strings:
/// the one parser behind both `CSVText.forEachRecord` and the allocation-free path of `ResponsesCSV`.
enum CSVRecords {
    /// One record's fields: ranges into the scanned bytes, valid only during the call that receives them.
    struct Fields {
        /// Where a field's content lies (between the quotes of a quoted field); `escaped` when it is quoted and
        /// holds `""` pairs, which stand for one quote each.
        struct Range {
            var start: Int
            var end: Int
            var escaped: Bool
        }

        let bytes: UnsafeBufferPointer<UInt8>
        /// The first `count` entries are this record's fields; the storage is reused from record to record.
        private var ranges: [Range] = []
        private(set) var count = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func removeAll() { count = 0 }

        mutating func append(_ range: Range) {
            if count < ranges.count { ranges[count] = range } else { ranges.append(range) }
            count += 1
        }

        /// Field `index`'s content bytes in the scanned buffer, or nil when `""` pairs must first be made quotes
        /// (then `withBytes`).
        func slice(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
            let range = ranges[index]
            return range.escaped ? nil : UnsafeBufferPointer(rebasing: bytes[range.start..<range.end])
        }

        /// Whether field `index` has no content at all.
        func isEmpty(_ index: Int) -> Bool { ranges[index].start == ranges[index].end }

        /// Calls `body` with field `index`'s content bytes (a quoted field's `""` pairs made one quote).
        func withBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws(IRTError) -> R) throws(IRTError)
            -> R
        {
            let range = ranges[index]
            let slice = UnsafeBufferPointer(rebasing: bytes[range.start..<range.end])
            guard range.escaped else { return try body(slice) }
            var content: [UInt8] = []
            var i = slice.startIndex
            while i < slice.endIndex {
                content.append(slice[i])
                i += slice[i] == UInt8(ascii: "\"") ? 2 : 1
            }
            var failure: IRTError?
            let result = content.withUnsafeBufferPointer { content -> R? in
                do throws(IRTError) {
                    return try body(content)
                } catch {
                    failure = error
                    return nil
                }
            }
            if let failure { throw failure }
            // `result` is nil only when `body` threw, handled above.
            guard let result else { throw IRTError("unreachable: a field's content could not be read") }
            return result
        }

        /// Field `index` as text (invalid UTF-8 repaired, as `String(decoding:as:)` does).
        func string(_ index: Int) -> String {
            (try? withBytes(index) { String(decoding: $0, as: UTF8.self) }) ?? ""
        }

        /// Every field as text.
        func strings() -> [String] { (0..<count).map(string) }
    }

    /// Calls `body(line, fields)` for every record that is not blank, `line` being the 1-based line where the
    /// record starts. A leading UTF-8 BOM is skipped.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (_ line: Int, _ fields: Fields) throws(IRTError) -> Void
    ) throws(IRTError) {
        var scanner = Scanner(bytes)
        var fields = Fields(bytes: bytes)
        while let line = try scanner.next(into: &fields) { try body(line, fields) }
    }

    /// Reads records one at a time, for a caller that keeps its state in local variables rather than in a closure.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        private var i: Int
        private var line = 1

        /// A scanner from the start of `bytes`; `skippingBOM` false for a slice that starts mid-file, where those
        /// bytes would be text.
        init(_ bytes: UnsafeBufferPointer<UInt8>, skippingBOM: Bool = true) {
            self.bytes = bytes
            i = skippingBOM && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        /// Where the next record starts in `bytes`.
        var offset: Int { i }

        /// Reads the next record that is not blank into `fields` (made for the same bytes) and returns the 1-based
        /// line where it starts, or nil at the end.
        mutating func next(into fields: inout Fields) throws(IRTError) -> Int? {
            let quote = UInt8(ascii: "\"")
            let comma = UInt8(ascii: ",")
            let newline = UInt8(ascii: "\n")
            let carriageReturn = UInt8(ascii: "\r")
            let end = bytes.count
            while i < end {
                let recordLine = line
                fields.removeAll()
                var endOfRecord = false
                while !endOfRecord {
                    if i < end && bytes[i] == quote {
                        i += 1
                        let start = i
                        var escaped = false
                        while true {
                            guard i < end else { throw IRTError("line \(recordLine): unterminated quoted field") }
                            let byte = bytes[i]
                            if byte == quote {
                                if i + 1 < end && bytes[i + 1] == quote {
                                    escaped = true
                                    i += 2
                                    continue
                                }
                                break
                            }
                            if byte == newline { line += 1 }
                            i += 1
                        }
                        fields.append(Fields.Range(start: start, end: i, escaped: escaped))
                        i += 1
                        guard i >= end || bytes[i] == comma || bytes[i] == newline || bytes[i] == carriageReturn
                        else {
                            throw IRTError("line \(line): unexpected text after a quoted field")
                        }
                    } else {
                        let start = i
                        while i < end {
                            let byte = bytes[i]
                            if byte == comma || byte == newline || byte == carriageReturn { break }
                            i += 1
                        }
                        fields.append(Fields.Range(start: start, end: i, escaped: false))
                    }
                    if i < end && bytes[i] == comma {
                        i += 1
                    } else {
                        if i < end && bytes[i] == carriageReturn { i += 1 }
                        if i < end && bytes[i] == newline { i += 1 }
                        line += 1
                        endOfRecord = true
                    }
                }
                if fields.count == 1 && fields.isEmpty(0) { continue }
                return recordLine
            }
            return nil
        }
    }
}
