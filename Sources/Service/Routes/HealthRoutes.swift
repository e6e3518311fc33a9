import HTTPServer
import JSON
import Storage

/// `/healthz` (the process is alive), `/readyz` (the database answers and the schema is current) and
/// `/openapi.yaml`.
enum HealthRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let alive = HTTPResponse.json(["status": "ok"])
        router.get("/healthz", runsInline: true) { _ in alive }
        router.get("/readyz") { _ in readiness(context) }
        let document = context.openAPIDocument
        router.get("/openapi.yaml", runsInline: true) { _ in
            HTTPResponse(status: .ok, headers: HTTPHeaders([("Content-Type", "application/yaml")]), body: document)
        }
    }

    static func readiness(_ context: ServiceContext) -> HTTPResponse {
        do {
            let version = try context.pool.withConnection { connection in try Migrator.currentVersion(connection) }
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
            return .json(["status": "not_ready", "reason": "the database is unavailable"], status: .serviceUnavailable)
        }
    }
}
