import DemoData
import Logging
import Pipelines
import Postgres
import Storage
import UTCTime

/// Loads a small demo data set into an empty database (first start of `make run`); the service then backfills its
/// days in the background (`backfillRequest`), so that every read has history.
enum DemoLoader {
    /// Loads the demo into an empty database; returns the days it spans when it loaded them (nil when the database
    /// had attempts already).
    static func loadIfEmpty(_ pool: PostgresPool, logger: Logger) throws -> ClosedRange<Day>? {
        guard try !pool.withConnection({ connection in try AttemptStore.hasAttempts(connection) }) else { return nil }
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
        return options.lastDay.advanced(by: -(options.days - 1))...options.lastDay
    }

    /// The backfill of the demo's days: the nightly schedule replayed over them, as nightly runs would have left it.
    static func backfillRequest(_ days: ClosedRange<Day>) throws -> BackfillRequest {
        try BackfillRequest.parse(
            body: ["from": .string(days.lowerBound.iso), "to": .string(days.upperBound.iso)], today: Day.today())
    }

    /// Starts the demo's backfill in the background; a failure to start is logged, the service serves anyway.
    static func startBackfill(_ days: ClosedRange<Day>, backfiller: Backfiller, logger: Logger) {
        do {
            let handle = try backfiller.start(try backfillRequest(days))
            logger.info(
                "backfilling the demo's days in the background; watch GET /v1/backfills",
                metadata: ["backfill_id": "\(handle.backfillID)", "from": "\(days.lowerBound.iso)"])
        } catch {
            logger.error("the demo's backfill did not start", metadata: ["error": "\(error)"])
        }
    }
}
