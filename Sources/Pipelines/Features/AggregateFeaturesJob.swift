import JSON
import Postgres
import UTCTime

/// `aggregate-features-daily` (SPEC §5): for each day of `W(date, lookback_days)` and each learner × topic with
/// attempts that day, counts, times, hints, the ability with the latest `as_of` up to that day and the learner's `I_t` as of
/// that day. The recomputed days are replaced exactly (rows whose attempts are gone disappear).
///
/// One pass over the attempts of the range and the 27 days before it (`FeatureTally`, read in two parts at once)
/// gives every count; PostgreSQL then only supplies the items' topics and the learners' ability history.
struct AggregateFeaturesJob: StageJob {
    let lastDay: Day
    let lookbackDays: Int

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let range = TimeWindow(endingOn: lastDay, days: lookbackDays)
        // I_t of the range's first day looks back 27 days before it.
        let history = TimeWindow(endingOn: lastDay, days: lookbackDays + 27)
        let progress = context.progress
        try progress.begin("reading attempts")
        var tally = try FeatureQueries.tally(
            connection, history: history, rangeDays: lookbackDays,
            itemTopics: try FeatureQueries.itemTopics(connection),
            readers: SnapshotReaders(
                applicationName: PipelineRunner.applicationName(
                    runID: context.runID, stage: Stage.aggregateFeaturesDaily.rawValue),
                shouldStop: progress.stopCheck))
        try progress.begin("medians")
        let medians = tally.medians()
        // The rows in key order (learner, topic, day; ids in byte order, as the "C" collation sorts them), which
        // also suits the primary key's index.
        let learnerRanks = tally.learners.ranks()
        let topicRanks = tally.topics.ranks()
        let order = tally.groups.indices.sorted { left, right in
            let (a, b) = (tally.groups[left].key, tally.groups[right].key)
            return (learnerRanks[Int(a.learner)], topicRanks[Int(a.topic)], a.day)
                < (learnerRanks[Int(b.learner)], topicRanks[Int(b.topic)], b.day)
        }
        // The ids as text, for the rows and the learner selection (their bytes as read).
        let learnerIDs = (0..<tally.learners.count).map { tally.learners.string($0) }
        let topicIDs = (0..<tally.topics.count).map { tally.topics.string($0) }
        var rangeLearners: [Int32] = []
        for index in order where rangeLearners.last != tally.groups[index].key.learner {
            rangeLearners.append(tally.groups[index].key.learner)
        }
        try progress.begin("abilities")
        try LearnerSelection.create(connection, learners: rangeLearners.lazy.map { learnerIDs[Int($0)] })
        let histories = try FeatureQueries.abilities(
            connection, from: history.firstDay, through: range.lastDay)
        try progress.begin("writing", total: order.count)
        var improvements = LearnerImprovements(days: lookbackDays)
        let replaced = try FeatureQueries.replace(
            connection, range: range, computedAt: context.startedAt, runID: context.runID
        ) { emit in
            for (position, index) in order.enumerated() {
                if position % RunProgress.stride == 0 { try progress.tick(position) }
                let group = tally.groups[index]
                let learner = Int(group.key.learner)
                let userID = learnerIDs[learner]
                let day = range.firstDay.advanced(by: Int(group.key.day))
                let history = histories[Array(userID.utf8)] ?? LearnerDailyHistory()
                let ability = history.latestAbility(from: nil, to: day)
                let improvement = improvements.value(learner: learner, day: Int(group.key.day)) {
                    history.improvement(asOf: day) { tally.counts(learner: learner, in: $0) }
                }
                try emit(
                    FeatureRow(
                        userID: userID, topicID: topicIDs[Int(group.key.topic)], day: day,
                        attempts: group.attempts, correct: group.correct, averageTimeMs: group.averageTimeMs,
                        medianTimeMs: medians[index], hintedAttempts: group.hinted, thetaEstimate: ability?.theta,
                        thetaSD: ability?.se, improvement: improvement,
                        lastSeenAt: Timestamp(
                            microseconds: tally.lastAnswers[learner * lookbackDays + Int(group.key.day)])))
            }
        }
        return JSONObject([
            ("days", .int(Int64(lookbackDays))), ("first_day", .string(range.firstDay.iso)),
            ("last_day", .string(range.lastDay.iso)), ("learners", .int(Int64(rangeLearners.count))),
            ("rows_deleted", .int(Int64(replaced.previous))), ("rows_written", .int(Int64(replaced.written))),
        ])
    }
}

/// The improvement of the current learner per range day, computed once per learner and day: the rows come learner
/// by learner, each learner's topics repeating the same days.
struct LearnerImprovements {
    private var learner = -1
    private var values: [Double??]

    init(days: Int) { values = Array(repeating: nil, count: days) }

    mutating func value(learner: Int, day: Int, compute: () -> Double?) -> Double? {
        if learner != self.learner {
            self.learner = learner
            for index in values.indices { values[index] = nil }
        }
        if let known = values[day] { return known }
        let value = compute()
        values[day] = .some(value)
        return value
    }
}
