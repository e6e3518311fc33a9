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
                try CSVRecords.scan(bytes) { (line, fields) throws(IRTError) in try body(line, fields.strings()) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
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
