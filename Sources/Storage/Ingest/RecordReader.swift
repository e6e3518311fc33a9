import Fields
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

extension RecordReader {
    /// A reader for the fields of record `index` (0-based), whose messages name it: "record 3" or, for NDJSON,
    /// "record 3 (line 5)". Its errors carry `invalid_record`.
    static func fields(of entry: (object: JSONObject, line: Int?), index: Int) -> FieldReader {
        let position = "record \(index + 1)" + (entry.line.map { " (line \($0))" } ?? "")
        return FieldReader(json: entry.object, position: position, code: .invalidRecord)
    }
}
