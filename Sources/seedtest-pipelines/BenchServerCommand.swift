import ArgumentParser
import Foundation
import HTTPServer
import JSON
import Logfmt
import Service
import Telemetry

/// `seedtest-pipelines bench-server`: the HTTP server alone with fixture routes, for `make bench` (not for
/// production): `/healthz` and `/json-4k`, a 4 KiB JSON document built per request like a handler's response.
struct BenchServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-server", abstract: "Serve fixture routes for the HTTP benchmark.", shouldDisplay: false)

    @Option(help: "Port to listen on.") var port = 8099
    @Option(help: "Open connections before new ones get 503.") var maxConnections = 20_000
    @Flag(help: "Do not log one line per request.") var noAccessLog = false
    @Flag(help: "Record the HTTP metrics of every request, as the service does.") var metrics = false

    func run() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = port
        configuration.maxConnections = maxConnections
        configuration.accessLog = noAccessLog ? nil : LogfmtAccessLog()
        if metrics {
            configuration.accessLog = MeteredAccessLog(metrics: ServiceMetrics(), next: configuration.accessLog)
        }
        let logger = bootstrapLogging(level: .warning)
        var router = Router()
        let alive = HTTPResponse.json(["status": "ok"])
        router.get("/healthz", runsInline: true) { _ in alive }
        router.get("/json-4k", runsInline: ProcessInfo.processInfo.environment["BENCH_INLINE"] != nil) { _ in
            let rows = (0..<40).map { index -> JSONValue in
                .object(
                    JSONObject([
                        ("user_id", .string("learner-\(index)")), ("week_start", "2026-11-23"),
                        ("score", .double(Double(index) / 7)), ("ok", .bool(index % 2 == 0)),
                    ]))
            }
            return .json(.object(JSONObject([("items", .array(rows)), ("next_cursor", .null)])))
        }
        let server = HTTPServer(configuration: configuration, router: router, logger: logger)
        try server.start()
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.shutdown() }
            source.resume()
            return source
        }
        server.waitUntilStopped()
        for source in signals { source.cancel() }
        LogSink.standardError.flush()
    }
}
