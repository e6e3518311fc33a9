import JSON

/// Reads the records of an ingest body: a JSON array of objects or NDJSON (one object per line, blank lines
/// ignored). Stops at `maximumRecords + 1` so that an oversized request is refused early.
enum RecordReader {
    enum Format: Sendable {
        case jsonArray
        case ndjson
    }

    /// The records with, for NDJSON, the line each came from (so that messages can point at it).
    static func objects(_ body: [UInt8], format: Format, maximumRecords: Int) throws(IngestError)
        -> [(object: JSONObject, line: Int?)]
    {
        switch format {
        case .jsonArray:
            let document: JSONValue
            do {
                document = try JSONParser.parse(body)
            } catch {
                throw .invalid("the body is not valid JSON: \(error)")
            }
            guard let array = document.arrayValue else {
                throw .invalid("the body must be a JSON array of records, got \(document.typeDescription)")
            }
            guard array.count <= maximumRecords else { throw .tooManyRecords(limit: maximumRecords) }
            var objects: [(object: JSONObject, line: Int?)] = []
            objects.reserveCapacity(array.count)
            for (index, element) in array.enumerated() {
                guard let object = element.objectValue else {
                    throw .invalid("record \(index + 1) must be a JSON object, got \(element.typeDescription)")
                }
                objects.append((object, nil))
            }
            return objects
        case .ndjson:
            var objects: [(object: JSONObject, line: Int?)] = []
            var lineStart = 0
            var lineNumber = 0
            while lineStart < body.count {
                let lineEnd = body[lineStart...].firstIndex(of: 0x0A) ?? body.count
                lineNumber += 1
                let line = body[lineStart..<lineEnd]
                lineStart = lineEnd + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                guard objects.count < maximumRecords else { throw .tooManyRecords(limit: maximumRecords) }
                let record = objects.count + 1
                let value: JSONValue
                do {
                    value = try JSONParser.parse(line)
                } catch {
                    throw .invalid("record \(record) (line \(lineNumber)) is not valid JSON: \(error)")
                }
                guard let object = value.objectValue else {
                    throw .invalid(
                        "record \(record) (line \(lineNumber)) must be a JSON object, got \(value.typeDescription)")
                }
                objects.append((object, lineNumber))
            }
            return objects
        }
    }
}

/// Typed access to one record's fields with messages that name the record and field.
struct FieldReader {
    let object: JSONObject
    let record: Int
    /// The NDJSON line of the record, if it came from one.
    var line: Int?

    /// "record 3" or, for NDJSON, "record 3 (line 5)".
    var position: String { "record \(record)" + (line.map { " (line \($0))" } ?? "") }

    func fail(_ field: String, _ problem: String) -> IngestError {
        .invalid("\(position): field \"\(field)\" \(problem)")
    }

    /// Refuses fields outside `known`, which catches typos such as `respone_time_ms`.
    func rejectUnknown(_ known: Set<String>) throws(IngestError) {
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw IngestError.invalid(
                "\(position): unknown field \"\(unknown)\" (expected \(known.sorted().joined(separator: ", ")))")
        }
    }

    func value(_ field: String) -> JSONValue? {
        guard let value = object[field], !value.isNull else { return nil }
        return value
    }

    /// An identifier: a string of 1–128 characters (Unicode scalars), without NUL.
    func identifier(_ field: String, required: Bool) throws(IngestError) -> String? {
        guard let value = value(field) else {
            if required { throw fail(field, "is required") }
            return nil
        }
        guard let text = value.stringValue else { throw fail(field, "must be a string, got \(value.typeDescription)") }
        let length = text.unicodeScalars.count
        guard length >= 1 && length <= 128 else { throw fail(field, "must be 1 to 128 characters, got \(length)") }
        guard !text.unicodeScalars.contains("\0") else { throw fail(field, "must not contain NUL characters") }
        return text
    }

    func boolean(_ field: String, required: Bool) throws(IngestError) -> Bool? {
        guard let value = value(field) else {
            if required { throw fail(field, "is required") }
            return nil
        }
        guard let flag = value.boolValue else {
            throw fail(field, "must be true or false, got \(value.typeDescription)")
        }
        return flag
    }

    /// A non-negative integer that fits PostgreSQL's `integer`.
    func count(_ field: String) throws(IngestError) -> Int? {
        guard let value = value(field) else { return nil }
        guard let number = value.intValue else { throw fail(field, "must be an integer, got \(value.jsonText)") }
        guard number >= 0 else { throw fail(field, "must be ≥ 0, got \(number)") }
        guard number <= Int64(Int32.max) else { throw fail(field, "must be at most \(Int32.max), got \(number)") }
        return Int(number)
    }

    func number(_ field: String) throws(IngestError) -> Double? {
        guard let value = value(field) else { return nil }
        guard let number = value.doubleValue, number.isFinite else {
            throw fail(field, "must be a number, got \(value.typeDescription)")
        }
        return number
    }
}
