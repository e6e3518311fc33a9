import JSON
import Logging
import UTCTime

/// One JSON object per line, for log aggregators (`LOG_FORMAT=json`), with the fields of the logfmt lines in the
/// same order: `{"ts":…,"level":"info","msg":"run started","run_id":"7","stage":"compute-daily-kpis",…}`. Metadata
/// values are strings, as in logfmt; the metadata provider's fields (a run's id and stage on the run's thread) are
/// merged under the logger's own.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
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

    public func log(event: LogEvent) {
        var merged = metadataProvider?.get() ?? [:]
        merged.merge(metadata) { $1 }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        var object = JSONObject([
            ("ts", .string(Timestamp.now().rfc3339)), ("level", .string(event.level.rawValue)),
            ("msg", .string(event.message.description)),
        ])
        for key in LogfmtLogHandler.leadingKeys {
            if let value = merged.removeValue(forKey: key) { object[key] = .string(value.description) }
        }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { object[key] = .string(value.description) }
        sink.write(bytes: JSONValue.object(object).encoded(), urgent: event.level >= .error)
    }
}
