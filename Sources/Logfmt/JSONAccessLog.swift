import HTTPServer
import JSON
import UTCTime

/// The access log as JSON lines (`LOG_FORMAT=json`), with the fields of the logfmt access line:
/// `{"ts":…,"level":"info","msg":"access","request_id":…,"trace_id":…,"method":"GET","route":…,"status":200,
/// "bytes":15,"duration_ms":0.221}` (`trace_id` only when the request sent a valid `traceparent`).
public final class JSONAccessLog: AccessLogging {
    let sink: LogSink

    public init(sink: LogSink = .standardError) {
        self.sink = sink
    }

    public func record(_ entry: AccessRecord) {
        var object = JSONObject([
            ("ts", .string(Timestamp.now().rfc3339)), ("level", "info"), ("msg", "access"),
            ("request_id", .string(entry.requestID)),
        ])
        if let traceID = entry.traceID { object["trace_id"] = .string(traceID) }
        object["method"] = .string(entry.method)
        object["route"] = .string(entry.route)
        object["status"] = .int(Int64(entry.status))
        object["bytes"] = .int(Int64(entry.bytes))
        object["duration_ms"] = .double(Double(entry.durationMicroseconds) / 1000)
        sink.write(bytes: JSONValue.object(object).encoded())
    }
}
