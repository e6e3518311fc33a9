import Foundation
import IRT
import Logging
import Postgres
import Storage
import UTCTime

/// Realistic demo data: items across topics with known parameters (a few anchors), learners whose ability grows,
/// practising in sessions on most days, some stopping; response times and hints that depend on difficulty. Written
/// through the same stores as the ingest routes, with the true parameters kept in `demo_item_truth` and
/// `demo_learner_truth`.
public enum DemoData {
    public static func load(_ options: DemoDataOptions, into pool: PostgresPool, logger: Logger) throws
        -> DemoDataSummary
    {
        var random = SeededGenerator(seed: options.seed)
        let items = DemoItems.generate(options: options, random: &random)
        _ = try ItemStore.upsert(items.map(\.record), into: pool)
        try writeItemTruth(items, pool: pool)
        var inserted = 0
        var written = 0
        let learners = try generateAttempts(options, items: items, random: &random) { batch in
            inserted += try AttemptStore.insert(batch, into: pool).inserted
            written += batch.count
            logger.info("demo data", metadata: ["attempts": "\(written)"])
        }
        try writeLearnerTruthAndGoals(learners, pool: pool, random: &random)
        // A freshly loaded table has neither statistics nor visibility hints; settle it as autovacuum would have
        // for data that arrived over days, so that the first run is not the one paying for it.
        try pool.withConnection { try $0.execute("VACUUM (ANALYZE) attempts, items, learner_goals") }
        return DemoDataSummary(
            learners: options.learners, items: options.items, topics: options.topicCount, anchors: options.anchorCount,
            attempts: written, inserted: inserted)
    }

    /// The attempts `load` would write, handed to `sink` in batches of `options.batchSize`, without a database (the
    /// ingest benchmark sends them over HTTP).
    public static func generateAttempts(_ options: DemoDataOptions, sink: ([AttemptRecord]) throws -> Void) throws {
        var random = SeededGenerator(seed: options.seed)
        let items = DemoItems.generate(options: options, random: &random)
        _ = try generateAttempts(options, items: items, random: &random, sink: sink)
    }

    /// Day by day, as a platform records answers, so attempts arrive in time order; returns the learners.
    static func generateAttempts(
        _ options: DemoDataOptions, items: [DemoItem], random: inout SeededGenerator,
        sink: ([AttemptRecord]) throws -> Void
    ) throws -> [DemoLearner] {
        let firstDay = options.lastDay.advanced(by: -(options.days - 1))
        let byTopic = Dictionary(grouping: items.indices, by: { items[$0].topic })
        let learners = (0..<options.learners).map { index in
            DemoLearner.generate(index: index, options: options, random: &random)
        }
        var batch: [AttemptRecord] = []
        batch.reserveCapacity(options.batchSize)
        for offset in 0..<options.days {
            let day = firstDay.advanced(by: offset)
            for learner in learners {
                if let churn = learner.churnDay, day >= churn { continue }
                guard random.uniform() < learner.practiceProbability else { continue }
                let sessions = random.uniform() < 0.15 ? 2 : 1
                for session in 0..<sessions {
                    DemoSession.generate(
                        learner: learner, day: day, dayOffset: offset, number: session, items: items, byTopic: byTopic,
                        options: options, random: &random, into: &batch)
                }
                if batch.count >= options.batchSize {
                    try sink(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try sink(batch) }
        return learners
    }

    static func writeItemTruth(_ items: [DemoItem], pool: PostgresPool) throws {
        try pool.withTransaction { connection in
            try connection.execute("DELETE FROM demo_item_truth")
            try connection.copyIn("COPY demo_item_truth (item_id, topic_id, a, b, c, anchor) FROM STDIN") { writer in
                for item in items {
                    writer.append(item.record.itemID)
                    writer.append(item.record.topicID)
                    writer.append(item.truth.a)
                    writer.append(item.truth.b)
                    writer.append(item.truth.c)
                    writer.append(item.record.anchor)
                    try writer.endRow()
                }
            }
        }
    }

    /// Stores each learner's true ability path and gives one learner in ten a goal.
    static func writeLearnerTruthAndGoals(_ learners: [DemoLearner], pool: PostgresPool, random: inout SeededGenerator)
        throws
    {
        let goals = learners.filter { _ in random.uniform() < 0.1 }.map { ($0.id, 0.5 + 0.5 * random.normal()) }
        try pool.withTransaction { connection in
            try connection.execute("DELETE FROM demo_learner_truth")
            try connection.copyIn(
                "COPY demo_learner_truth (user_id, theta_start, theta_growth_per_week, churn_day) FROM STDIN"
            ) { writer in
                for learner in learners {
                    writer.append(learner.id)
                    writer.append(learner.thetaStart)
                    writer.append(learner.growthPerWeek)
                    if let churn = learner.churnDay { writer.append(churn) } else { writer.appendNull() }
                    try writer.endRow()
                }
            }
            try connection.execute(
                "CREATE TEMP TABLE incoming_goals (user_id text, target_theta float8) ON COMMIT DROP")
            try connection.copyIn("COPY incoming_goals (user_id, target_theta) FROM STDIN") { writer in
                for (user, target) in goals {
                    writer.append(user)
                    writer.append(min(3, max(-3, target)))
                    try writer.endRow()
                }
            }
            try connection.execute(
                """
                INSERT INTO learner_goals (user_id, target_theta) SELECT user_id, target_theta FROM incoming_goals
                ON CONFLICT (user_id) DO UPDATE SET target_theta = EXCLUDED.target_theta, updated_at = now()
                """)
        }
    }
}
