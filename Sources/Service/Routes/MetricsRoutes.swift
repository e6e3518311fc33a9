import HTTPServer
import Telemetry

/// `GET /metrics`: the Prometheus text exposition, behind the read token when tokens are configured.
enum MetricsRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        router.get("/metrics", headCheck: context.authenticator.check(.read)) { _ in
            HTTPResponse(
                status: .ok, headers: HTTPHeaders([("Content-Type", ServiceMetrics.contentType)]),
                body: context.telemetry.scrape(pool: context.pool, logger: context.logger))
        }
    }
}
