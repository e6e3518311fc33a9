import JSON
import Pipelines
import Postgres
import TestSupport
import UTCTime

/// A fresh database and a runner on it.
struct Harness {
    let database: TestDatabase
    let runner: PipelineRunner

    init(services: StageServices = StageServices(), dedicatedServer: Bool = false) throws {
        database = dedicatedServer ? try TestDatabase.createOnDedicatedServer() : try TestDatabase.create()
        runner = PipelineRunner(
            database: .init(connectionString: database.serverConnectionString, name: database.name),
            services: services, logger: TestServer.quietLogger)
    }

    func request(_ stage: Stage, _ body: JSONObject = JSONObject(), today: String = "2026-11-26") throws -> StageRequest
    {
        try StageRequest.parse(stage: stage, body: body, today: Day(iso: today)!)
    }

    /// Runs a stage and waits for it.
    func run(_ stage: Stage, _ body: JSONObject = JSONObject(), today: String = "2026-11-26") throws -> RunRecord {
        try runner.run(request(stage, body, today: today))
    }

    func kpis(_ user: String, week: String) throws -> JSONObject? {
        try database.pool.withConnection { connection in
            let result = try connection.query(
                "SELECT kpis FROM weekly_kpi WHERE user_id = \(user) AND week_start = \(week)::date")
            return result.rowCount == 0 ? nil : try result[0].decode(0, as: JSONValue.self).objectValue
        }
    }

    func count(_ table: String) throws -> Int {
        try database.pool.withConnection { try $0.query("SELECT count(*) FROM \(identifier: table)")[0].decode(0) }
    }

    func execute(_ query: PostgresQuery) throws {
        try database.pool.withConnection { _ = try $0.query(query) }
    }

    /// A table's rows as text, for before/after comparisons.
    func snapshot(_ table: String) throws -> [String] {
        try database.pool.withConnection { connection in
            try connection.query("SELECT t::text FROM \(identifier: table) t ORDER BY 1").rows.map { try $0.decode(0) }
        }
    }
}

extension JSONObject {
    func double(_ key: String) -> Double? { self[key]?.doubleValue }
}
