import JSON
import Pipelines
import UTCTime

/// The answer of `GET /v1/status`: each stage's schedule, last run, last success and state; data freshness; the
/// database; and an overall verdict. Built from what was read (nothing when the database did not answer), so the
/// rules below are plain functions of their inputs.
struct StatusReport {
    enum StageState: String {
        case ok, running, late, failing
        /// The database did not answer: nothing is known of the stage's runs.
        case unknown
    }

    struct StageLine {
        var stage: Stage
        var schedule: CronSchedule?
        var lastScheduledAt: Timestamp?
        var nextScheduledAt: Timestamp?
        var summary: StageRunSummary?
        var state: StageState
    }

    struct DatabaseLine {
        var reachable: Bool
        var schemaVersion: Int?
        var expectedSchemaVersion: Int
    }

    var checkedAt: Timestamp
    var graceMinutes: Int
    var stages: [StageLine]
    var freshness: DataFreshnessReads.Freshness?
    var database: DatabaseLine

    /// `ok` when every stage is ok or running and the schema is current; `failing` when the database cannot be
    /// reached or a stage's last run failed; `degraded` otherwise (a stage late, the schema not as expected).
    var overall: String {
        if !database.reachable || stages.contains(where: { $0.state == .failing }) { return "failing" }
        if stages.contains(where: { $0.state == .late }) || database.schemaVersion != database.expectedSchemaVersion {
            return "degraded"
        }
        return "ok"
    }

    /// A stage's state: running while its latest run runs; failing when that run failed; late when no success
    /// came since its last scheduled time and the grace is over; ok otherwise.
    static func state(
        of summary: StageRunSummary, lastScheduledAt: Timestamp?, now: Timestamp, graceMinutes: Int
    ) -> StageState {
        switch summary.latestStatus {
        case .running?: return .running
        case .failed?: return .failing
        default: break
        }
        if let scheduled = lastScheduledAt,
            now.microseconds - scheduled.microseconds > Int64(graceMinutes) * 60_000_000,
            summary.lastSuccess.map({ $0 < scheduled }) ?? true
        {
            return .late
        }
        return .ok
    }

    var json: JSONValue {
        var object = JSONObject()
        object["status"] = .string(overall)
        object["checked_at"] = .string(checkedAt.rfc3339)
        object["late_grace_minutes"] = .int(Int64(graceMinutes))
        object["stages"] = .array(stages.map(Self.json))
        object["data"] = .object(
            JSONObject([
                ("newest_answered_at", .optional(freshness?.newestAnsweredAt?.rfc3339)),
                ("attempts_last_24h", freshness.map { .int(Int64($0.attemptsLast24Hours)) } ?? .null),
            ]))
        object["database"] = .object(
            JSONObject([
                ("reachable", .bool(database.reachable)),
                ("schema_version", database.schemaVersion.map { .int(Int64($0)) } ?? .null),
                ("expected_schema_version", .int(Int64(database.expectedSchemaVersion))),
            ]))
        return .object(object)
    }

    static func json(_ line: StageLine) -> JSONValue {
        var lastRun = JSONValue.null
        if let summary = line.summary, let runID = summary.latestRunID {
            lastRun = .object(
                JSONObject([
                    ("run_id", .int(runID)), ("status", .optional(summary.latestStatus?.rawValue)),
                    ("started_at", .optional(summary.latestStartedAt?.rfc3339)),
                    ("finished_at", .optional(summary.latestFinishedAt?.rfc3339)),
                    ("error", .optional(summary.latestError)),
                    ("progress", summary.latestProgress.map { .object($0) } ?? .null),
                ]))
        }
        return .object(
            JSONObject([
                ("stage", .string(line.stage.rawValue)), ("state", .string(line.state.rawValue)),
                ("schedule", .optional(line.schedule?.expression)),
                ("last_scheduled_at", .optional(line.lastScheduledAt?.rfc3339)),
                ("next_scheduled_at", .optional(line.nextScheduledAt?.rfc3339)),
                ("last_run", lastRun), ("last_success_at", .optional(line.summary?.lastSuccess?.rfc3339)),
                ("last_failure_at", .optional(line.summary?.lastFailure?.rfc3339)),
            ]))
    }

    /// `learners 41000/100000` (or `loading 3` without a total) from a run's `{phase, done, total}`.
    static func progressText(_ progress: JSONObject) -> String {
        let phase = progress["phase"]?.stringValue ?? "?"
        let done = progress["done"]?.intValue.map(String.init) ?? "?"
        guard let total = progress["total"]?.intValue else { return "\(phase) \(done)" }
        return "\(phase) \(done)/\(total)"
    }

    /// A few aligned lines for a terminal (`?format=text`).
    var text: String {
        var lines: [(String, String)] = [("status", overall)]
        if database.reachable {
            let version = database.schemaVersion.map(String.init) ?? "none"
            lines.append(("database", "reachable, schema \(version) (expected \(database.expectedSchemaVersion))"))
        } else {
            lines.append(("database", "UNREACHABLE"))
        }
        if let freshness {
            let newest = freshness.newestAnsweredAt?.rfc3339 ?? "none"
            lines.append(("data", "newest answer \(newest), \(freshness.attemptsLast24Hours) attempts in 24 h"))
        }
        for line in stages {
            var parts = [line.state.rawValue.padding(to: 8)]
            parts.append("last success " + (line.summary?.lastSuccess?.rfc3339 ?? "never").padding(to: 27))
            if let summary = line.summary, let runID = summary.latestRunID, let status = summary.latestStatus {
                parts.append("last run \(runID) \(status.rawValue)")
                if status == .running, let progress = summary.latestProgress.map(Self.progressText) {
                    parts.append(progress)
                }
            }
            if let next = line.nextScheduledAt {
                parts.append("next \(next.rfc3339) (\(line.schedule?.expression ?? ""))")
            }
            lines.append((line.stage.rawValue, parts.joined(separator: "  ")))
        }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { "\($0.0.padding(to: width))  \($0.1)" }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text padded with spaces to `width` characters (never cut).
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
