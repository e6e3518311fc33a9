import HTTPServer
import UTCTime

/// The access log in the same logfmt form as every other line
/// (`ts=… level=info msg=access request_id=… trace_id=… method=GET route=/v1/runs status=200 bytes=15
/// duration_ms=0.221`, `trace_id` only when the request sent a valid `traceparent`),
/// formatted straight into bytes: at tens of thousands of requests a second, going through a metadata dictionary
/// per request would cost as much as serving it.
public final class LogfmtAccessLog: AccessLogging {
    let sink: LogSink

    public init(sink: LogSink = .standardError) {
        self.sink = sink
    }

    public func record(_ entry: AccessRecord) {
        var line: [UInt8] = []
        line.reserveCapacity(200)
        line.append(contentsOf: "ts=".utf8)
        Timestamp.now().appendRFC3339(to: &line)
        line.append(contentsOf: " level=info msg=access request_id=".utf8)
        Self.appendValue(entry.requestID, to: &line)
        if let traceID = entry.traceID {
            line.append(contentsOf: " trace_id=".utf8)
            Self.appendValue(traceID, to: &line)
        }
        line.append(contentsOf: " method=".utf8)
        line.append(contentsOf: entry.method.utf8)
        line.append(contentsOf: " route=".utf8)
        Self.appendValue(entry.route, to: &line)
        line.append(contentsOf: " status=".utf8)
        Self.appendDigits(entry.status, width: 1, to: &line)
        line.append(contentsOf: " bytes=".utf8)
        Self.appendDigits(entry.bytes, width: 1, to: &line)
        line.append(contentsOf: " duration_ms=".utf8)
        Self.appendDigits(Int(entry.durationMicroseconds / 1000), width: 1, to: &line)
        line.append(UInt8(ascii: "."))
        Self.appendDigits(Int(entry.durationMicroseconds % 1000), width: 3, to: &line)
        sink.write(bytes: line)
    }

    /// At least `width` decimal digits of a non-negative value, written in place (no temporary array: four of these
    /// per line were a tenth of a `/healthz` request's instructions).
    static func appendDigits(_ value: Int, width: Int, to line: inout [UInt8]) {
        let value = max(0, value)
        var digits = 1
        var scale = 1
        while value / scale >= 10 {
            scale *= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { line.append(UInt8(ascii: "0")) }
        while scale > 0 {
            line.append(UInt8(ascii: "0") + UInt8(value / scale % 10))
            scale /= 10
        }
    }

    /// Plain when the value needs no quoting (the usual case), quoted as the log handler quotes otherwise.
    static func appendValue(_ value: String, to line: inout [UInt8]) {
        let plain = !value.isEmpty && !value.utf8.contains { $0 == 0x20 || $0 == 0x22 || $0 == 0x3D || $0 < 0x20 }
        line.append(contentsOf: (plain ? value : LogfmtLogHandler.quote(value)).utf8)
    }
}
