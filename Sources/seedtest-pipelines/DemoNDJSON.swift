import DemoData
import Foundation
import Gzip
import JSON
import Storage

/// Demo attempts as gzip NDJSON files, the body format of `POST /v1/attempts`: the ingest benchmark's input.
enum DemoNDJSON {
    static func export(_ options: DemoDataOptions, to directory: String) throws -> (count: Int, attempts: Int) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files = 0
        var attempts = 0
        try DemoData.generateAttempts(options) { batch in
            var writer = JSONWriter(capacity: batch.count * 200)
            for record in batch {
                writer.write(json(record))
                writer.append(byte: 0x0A)
            }
            let name = String(format: "%@/batch-%03d.ndjson.gz", directory, files)
            try Data(try Gzip.compress(writer.bytes)).write(to: URL(fileURLWithPath: name))
            files += 1
            attempts += batch.count
        }
        return (files, attempts)
    }

    static func json(_ record: AttemptRecord) -> JSONValue {
        var object = JSONObject([
            ("user_id", .string(record.userID)), ("item_id", .string(record.itemID)),
            ("correct", .bool(record.correct)),
            ("answered_at", .string(record.answeredAt.rfc3339)),
        ])
        if let topic = record.topicID { object["topic_id"] = .string(topic) }
        if let session = record.sessionID { object["session_id"] = .string(session) }
        if let time = record.responseTimeMs { object["response_time_ms"] = .int(Int64(time)) }
        if let hints = record.hints { object["hints"] = .int(Int64(hints)) }
        return .object(object)
    }
}
