/// Minimal RFC 4180 CSV over a `String`: comma-separated fields, optionally double-quoted (a quoted field may
/// contain commas, newlines and `""` for a quote), records ending in LF or CRLF. A leading UTF-8 BOM and blank
/// lines are ignored. Pure text in, text out: reading and writing files is the caller's business.
enum CSVText {
    /// Calls `body(line, fields)` for every record, `line` being the 1-based line where the record starts.
    static func forEachRecord(
        _ text: String, _ body: (_ line: Int, _ fields: [String]) throws(IRTError) -> Void
    ) throws(IRTError) {
        var copy = text
        var failure: IRTError?
        copy.withUTF8 { bytes in
            do throws(IRTError) {
                try parse(bytes, body)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (_ line: Int, _ fields: [String]) throws(IRTError) -> Void
    ) throws(IRTError) {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var fields: [String] = []
        var field: [UInt8] = []
        while i < bytes.count {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            var endOfRecord = false
            while !endOfRecord {
                field.removeAll(keepingCapacity: true)
                if i < bytes.count && bytes[i] == quote {
                    i += 1
                    while true {
                        guard i < bytes.count else { throw IRTError("line \(recordLine): unterminated quoted field") }
                        if bytes[i] == quote {
                            if i + 1 < bytes.count && bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if bytes[i] == newline { line += 1 }
                        field.append(bytes[i])
                        i += 1
                    }
                    guard i >= bytes.count || [comma, newline, carriageReturn].contains(bytes[i]) else {
                        throw IRTError("line \(line): unexpected text after a quoted field")
                    }
                } else {
                    while i < bytes.count && bytes[i] != comma && bytes[i] != newline && bytes[i] != carriageReturn {
                        field.append(bytes[i])
                        i += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i < bytes.count && bytes[i] == comma {
                    i += 1
                } else {
                    if i < bytes.count && bytes[i] == carriageReturn { i += 1 }
                    if i < bytes.count && bytes[i] == newline { i += 1 }
                    line += 1
                    endOfRecord = true
                }
            }
            if fields.count == 1 && fields[0].isEmpty { continue }
            try body(recordLine, fields)
        }
    }

    /// Column positions of `names` in a header record.
    static func columns(_ names: [String], in header: [String]) throws(IRTError) -> [Int] {
        let trimmed = header.map(trim)
        var positions: [Int] = []
        for name in names {
            guard let position = trimmed.firstIndex(of: name) else {
                throw IRTError(
                    "line 1: header must contain \(names.joined(separator: ",")); got \(header.joined(separator: ","))")
            }
            positions.append(position)
        }
        return positions
    }

    /// A field without surrounding spaces and tabs.
    static func trim(_ s: String) -> String {
        var view = Substring(s)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }

    /// A finite number from a field.
    static func number(_ field: String, line: Int, column: String) throws(IRTError) -> Double {
        guard let value = Double(trim(field)), value.isFinite else {
            throw IRTError("line \(line): \(column) must be a finite number, got '\(field)'")
        }
        return value
    }

    /// A field, quoted when it contains a comma, quote or line break.
    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var quoted = "\""
        for character in field { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }
}
