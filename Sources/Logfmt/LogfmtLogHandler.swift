import Logging
import UTCTime

/// One line per event in logfmt: `ts=… level=info msg=access method=GET route=/v1/runs status=200 …`. Keys the
/// service always sets come first in a fixed order; values are quoted when they hold spaces, quotes or `=`.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    /// Fields merged under the logger's own (a run's id and stage on the run's thread).
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: LogSink

    public init(
        label: String, level: Logger.Level, sink: LogSink = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static let leadingKeys = [
        "request_id", "trace_id", "run_id", "stage", "method", "route", "status", "bytes", "duration_ms",
    ]

    public func log(event: LogEvent) {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { $1 }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        var text =
            "ts=\(Timestamp.now().rfc3339) level=\(event.level.rawValue) msg=\(Self.quote(event.message.description))"
        for key in Self.leadingKeys {
            if let value = merged.removeValue(forKey: key) { text += " \(key)=\(Self.quote(value.description))" }
        }
        for key in merged.keys.sorted() {
            text += " \(key)=\(Self.quote(merged[key]!.description))"
        }
        sink.write(text, urgent: event.level >= .error)
    }

    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" }
        guard needsQuotes else { return value }
        var escaped = "\""
        for character in value {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped + "\""
    }
}
