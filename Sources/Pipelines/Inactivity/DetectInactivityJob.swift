import JSON
import Postgres
import UTCTime

/// `detect-inactivity` (SPEC §7): recomputes `learner_activity`, merges `P` and `S` as of today into each recent
/// learner's current week of `weekly_kpi`, and posts newly inactive learners (never notified for this spell) to
/// the webhook in batches. A webhook failure is counted; it does not undo the detection.
struct DetectInactivityJob: StageJob {
    let today: Day
    let thresholdDays: Int
    let maxDays: Int
    static let batchSize = 500

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        try context.progress.begin("last answers")
        let (removed, _) = try ActivityQueries.recompute(
            connection, today: today, thresholdDays: thresholdDays, maxDays: maxDays, detectedAt: context.startedAt)
        let statuses = try ActivityQueries.statusCounts(connection)
        let written = try mergeGoalAndChurn(connection, progress: context.progress)
        let pending = try ActivityQueries.unnotified(connection)
        let delivery = try notify(pending, context: context)
        var counts = JSONObject([
            ("active", .int(Int64(statuses["active"] ?? 0))), ("inactive", .int(Int64(statuses["inactive"] ?? 0))),
            ("dormant", .int(Int64(statuses["dormant"] ?? 0))), ("removed", .int(Int64(removed))),
            ("kpi_rows_written", .int(Int64(written))), ("newly_inactive", .int(Int64(pending.count))),
        ])
        for member in delivery.members { counts[member.key] = member.value }
        return counts
    }

    /// P and S as of today, by the same formulas and session rules as compute-daily-kpis.
    func mergeGoalAndChurn(_ connection: PostgresConnection, progress: RunProgress) throws -> Int {
        let windows = KPIWindows(asOf: today)
        let lastAnswers = try ActivityQueries.selectRecentLearners(
            connection, since: TimeWindow(endingOn: today, days: maxDays).start)
        try progress.begin("sessions")
        // Every learner active in the 56-day window is selected when max_days reaches that far.
        let sessions = try ActivityQueries.churnSessions(
            connection, window: windows.churn56, joinSelection: maxDays < 56)
        try progress.begin("abilities")
        let latest = try KPIQueries.latestAbilities(connection, from: nil, to: today)
        let goals = try KPIQueries.goals(connection)
        let users = lastAnswers.keys.sorted()
        var rows: [(userID: String, kpis: JSONObject)] = []
        rows.reserveCapacity(users.count)
        try progress.begin("learners", total: users.count)
        for user in users {
            if rows.count % RunProgress.stride == 0 { try progress.tick(rows.count) }
            var input = LearnerAggregates()
            if let last = lastAnswers[user], windows.churn56.contains(last) { input.lastAnswer = last }
            input.churn = sessions[user] ?? SessionSummary()
            input.latestAbility = latest[user]
            input.targetTheta = goals[user]
            let object = JSONObject([
                ("P", .number(KPIFormulas.goalProbability(input))),
                ("S", .number(KPIFormulas.churnRisk(input, asOf: today))),
            ])
            rows.append((userID: user, kpis: object))
        }
        try progress.begin("writing", total: rows.count)
        return try WeeklyKPIWriter.merge(connection, asOf: today, rows: rows)
    }

    /// Posts the pending learners in batches; never on a dry run or without a configured URL.
    func notify(_ pending: [JSONValue], context: RunContext) throws -> JSONObject {
        guard !pending.isEmpty else { return JSONObject([("notified", 0), ("webhook_failures", 0)]) }
        guard !context.dryRun, let webhook = context.services.inactivityWebhook else {
            return JSONObject([
                ("notified", 0), ("webhook_failures", 0), ("webhook_skipped", .int(Int64(pending.count))),
            ])
        }
        var notified = 0
        var failures = 0
        var start = 0
        try context.progress.begin("webhook learners", total: pending.count)
        while start < pending.count {
            try context.progress.tick(start)
            let batch = Array(pending[start..<min(start + Self.batchSize, pending.count)])
            start += batch.count
            let document = JSONValue.object(
                JSONObject([
                    ("event", "learners.inactive"), ("run_id", .int(context.runID)),
                    ("detected_at", .string(context.startedAt.rfc3339)), ("threshold_days", .int(Int64(thresholdDays))),
                    ("learners", .array(batch)),
                ]))
            let outcome = webhook.send(document)
            if outcome.delivered {
                let users = batch.compactMap { $0["user_id"]?.stringValue }
                try ActivityQueries.markNotified(context.connection, userIDs: users, at: context.startedAt)
                notified += users.count
            } else {
                failures += 1
                context.logger.warning(
                    "inactivity webhook failed",
                    metadata: ["attempts": "\(outcome.attempts)", "reason": "\(outcome.reason ?? "unknown")"])
            }
        }
        return JSONObject([("notified", .int(Int64(notified))), ("webhook_failures", .int(Int64(failures)))])
    }
}
