import HTTPServer
import Pipelines
import Postgres
import Storage
import UTCTime

/// `GET /v1/status`: is everything running? Always 200 while the service can answer: a database that does not
/// answer is part of the answer (`database.reachable` false, overall `failing`), not a 503.
enum StatusRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        // On the probe pool, like /readyz: workers stuck on a stalled database must not keep the answer from coming.
        router.get("/v1/status", isProbe: true, headCheck: context.authenticator.check(.read)) { request in
            let format = try QueryReader(request).oneOf("format", ["json", "text"]) ?? "json"
            let report = build(context)
            if format == "text" {
                return HTTPResponse(
                    status: .ok, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
                    body: Array(report.text.utf8))
            }
            return .json(report.json)
        }
    }

    /// Seconds the database reads may take in all before the status reports it unreachable.
    static let databaseSeconds = 2.0

    static func build(_ context: ServiceContext) -> StatusReport {
        let now = Timestamp.now()
        let schedules = context.schedules
        let grace = context.configuration.statusLateGraceMinutes
        var database = StatusReport.DatabaseLine(
            reachable: false, schemaVersion: nil, expectedSchemaVersion: Migrations.latestVersion)
        var summaries: [String: StageRunSummary] = [:]
        var freshness: DataFreshnessReads.Freshness?
        do {
            try context.pool.withConnection(within: databaseSeconds) { connection in
                database.schemaVersion = try Migrator.currentVersion(connection)
                database.reachable = true
                let read = try StageStatusReads.summaries(connection, stages: Stage.allCases.map(\.rawValue))
                for summary in read { summaries[summary.stage] = summary }
                freshness = try DataFreshnessReads.freshness(connection)
            }
        } catch {
            context.logger.warning("status: database not read", metadata: ["error": "\(String(reflecting: error))"])
            if (error as? PostgresError)?.isConnectionFailure == true { database.reachable = false }
        }
        let stages = Stage.allCases.map { stage -> StatusReport.StageLine in
            let schedule = schedules[stage]
            let lastScheduled = schedule?.previous(atOrBefore: now)
            let summary = summaries[stage.rawValue]
            let state =
                summary.map {
                    StatusReport.state(of: $0, lastScheduledAt: lastScheduled, now: now, graceMinutes: grace)
                } ?? .unknown
            return StatusReport.StageLine(
                stage: stage, schedule: schedule, lastScheduledAt: lastScheduled,
                nextScheduledAt: schedule?.next(after: now), summary: summary, state: state)
        }
        return StatusReport(
            checkedAt: now, graceMinutes: grace, stages: stages, freshness: freshness, database: database)
    }
}
