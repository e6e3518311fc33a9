import HTTPServer
import JSON
import Postgres
import Storage

/// `/healthz` (the process is alive), `/readyz` (the database answers and the schema is current) and
/// `/openapi.yaml`.
enum HealthRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let alive = HTTPResponse.json(["status": "ok"])
        router.get("/healthz", runsInline: true) { _ in alive }
        // On the probe pool: behind workers stuck on a stalled database it would miss its second. Its statement is
        // bounded by `probeSeconds` on the connection itself (also on a connection lent without a check).
        router.get("/readyz", isProbe: true) { _ in readiness(context) }
        let document = context.openAPIDocument
        router.get("/openapi.yaml", runsInline: true) { _ in
            HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "application/yaml")]), body: document)
        }
    }

    /// Seconds the readiness probe may take in all (borrowing or opening a connection, and its query), so that
    /// `/readyz` answers within a second even when the database is stalled.
    static let probeSeconds = 0.8

    static func readiness(_ context: ServiceContext) -> HTTPResponse {
        do {
            let version = try context.pool.withConnection(within: probeSeconds) { connection in
                try Migrator.currentVersion(connection)
            }
            guard version == Migrations.latestVersion else {
                return .json(
                    [
                        "status": "not_ready",
                        "reason": .string("the schema is at version \(version), expected \(Migrations.latestVersion)"),
                    ], status: .serviceUnavailable)
            }
            return .json(["status": "ready", "schema_version": .int(Int64(version))])
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            var response = HTTPResponse.json(
                ["status": "not_ready", "reason": .string(reason(for: error))], status: .serviceUnavailable)
            response.headers.add("Retry-After", "1")
            return response
        }
    }

    /// What `/readyz` says when its probe failed.
    static func reason(for error: any Error) -> String {
        switch (error as? PostgresError)?.kind {
        case .timeout:
            "the database did not answer within \(probeSeconds) s"
        case .poolExhausted:
            "no database connection became free within \(probeSeconds) s"
        default:
            "the database is unavailable"
        }
    }
}
