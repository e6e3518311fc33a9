import DemoData
import Logging
import Postgres
import Storage

/// Loads a small demo data set into an empty database (first start of `make run`).
enum DemoLoader {
    static func loadIfEmpty(_ pool: PostgresPool, logger: Logger) throws {
        guard try !pool.withConnection({ connection in try AttemptStore.hasAttempts(connection) }) else { return }
        logger.info("loading demo data into the empty database")
        var options = DemoDataOptions()
        options.learners = 300
        options.items = 150
        options.days = 56
        let summary = try DemoData.load(options, into: pool, logger: logger)
        logger.info(
            "demo data loaded",
            metadata: [
                "learners": "\(summary.learners)", "items": "\(summary.items)", "attempts": "\(summary.inserted)",
            ])
    }
}
