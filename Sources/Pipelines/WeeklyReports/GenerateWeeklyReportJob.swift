import Foundation
import JSON
import OutboundHTTP
import Postgres
import Reports
import UTCTime

/// `generate-weekly-report` (SPEC §8): one self-contained HTML report per learner with KPIs that week (or the given
/// learners), rendered in parallel, stored gzip-compressed in `report_artifacts` in the run's transaction, and
/// optionally uploaded first (an upload failure fails the run, so nothing is recorded).
struct GenerateWeeklyReportJob: StageJob {
    let weekStart: Day
    let userIDs: [String]?
    let maxUsers: Int?
    let upload: Bool
    static let chunkSize = 2000
    static let renderThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
    static let uploadThreads = 8

    func validate(_ services: StageServices) throws(ParameterError) {
        if upload && services.reportStorage == nil {
            throw ParameterError(
                field: "upload", message: "upload is true but report storage is not configured (REPORTS_S3_BUCKET …)")
        }
    }

    func execute(_ context: RunContext) throws -> JSONObject {
        let connection = context.connection
        let learners = try selectLearners(connection)
        var totals = Totals()
        let progress = context.progress
        try progress.begin("the week's answers")
        // Every learner's of the week in one pass, unless the run is limited to some learners.
        let answers = try WeekAnswerTable.load(
            connection, week: TimeWindow(endingOn: weekStart.advanced(by: 6), days: 7),
            learners: userIDs == nil && maxUsers == nil ? nil : learners)
        try progress.begin("reports", total: learners.count)
        // Chunk i is loaded while chunk i - 1 renders, and chunk i - 1 is stored while chunk i renders: the database
        // and the rendering threads work at the same time.
        var rendering: RenderBatch?
        defer { _ = try? rendering?.wait() }  // no rendering thread outlives the run, even when it fails
        var start = 0
        while start < learners.count {
            let chunk = Array(learners[start..<min(start + Self.chunkSize, learners.count)])
            start += chunk.count
            let inputs = try ReportInputs.load(
                connection, learners: chunk, weekStart: weekStart, answers: answers, generatedAt: context.startedAt)
            let previous = try rendering?.wait()
            rendering = RenderBatch(inputs, threads: Self.renderThreads, progress: progress)
            if let previous { try finish(previous, context: context, totals: &totals) }
        }
        if let last = try rendering?.wait() { try finish(last, context: context, totals: &totals) }
        totals.gzipBytes.sort()
        return JSONObject([
            ("week_start", .string(weekStart.iso)), ("learners", .int(Int64(learners.count))),
            ("reports_written", .int(Int64(totals.written))), ("uploaded", .int(Int64(totals.uploaded))),
            ("html_bytes", .int(Int64(totals.htmlBytes))), ("gzip_bytes", .int(Int64(totals.gzipBytes.reduce(0, +)))),
            (
                "median_gzip_bytes",
                .int(Int64(totals.gzipBytes.isEmpty ? 0 : totals.gzipBytes[totals.gzipBytes.count / 2]))
            ),
        ])
    }

    /// What the run's counts add up.
    struct Totals {
        var written = 0
        var uploaded = 0
        var htmlBytes = 0
        var gzipBytes: [Int] = []
    }

    /// Uploads (when asked) and stores one rendered chunk.
    private func finish(_ rendered: [ReportArtifact], context: RunContext, totals: inout Totals) throws {
        var artifacts = rendered
        if upload, let storage = context.services.reportStorage {
            artifacts = try uploadAll(artifacts, storage: storage)
            totals.uploaded += artifacts.count
        }
        totals.written += try store(
            artifacts, connection: context.connection, runID: context.runID, generatedAt: context.startedAt)
        totals.gzipBytes += artifacts.map(\.gzipped.count)
        totals.htmlBytes += artifacts.reduce(0) { $0 + $1.size }
    }

    /// Learners with KPIs in the week (or the requested ones that have any data), by id, capped at `maxUsers`.
    func selectLearners(_ connection: PostgresConnection) throws -> [String] {
        let rows: [String]
        if let userIDs {
            rows = try connection.query(
                """
                SELECT u.user_id FROM unnest(\(userIDs)::text[]) AS u (user_id)
                WHERE EXISTS (SELECT 1 FROM weekly_kpi k WHERE k.user_id = u.user_id)
                   OR EXISTS (SELECT 1 FROM attempts a WHERE a.user_id = u.user_id)
                ORDER BY u.user_id COLLATE "C" LIMIT \(maxUsers)
                """
            ).rows.map { try $0.decode(0) }
        } else {
            rows = try connection.query(
                "SELECT user_id FROM weekly_kpi WHERE week_start = \(weekStart) ORDER BY user_id LIMIT \(maxUsers)"
            ).rows.map { try $0.decode(0) }
        }
        return rows
    }

    /// Replaces the learners' artifacts for the week.
    func store(_ artifacts: [ReportArtifact], connection: PostgresConnection, runID: Int64, generatedAt: Timestamp)
        throws -> Int
    {
        try connection.query(
            """
            DELETE FROM report_artifacts
            WHERE week_start = \(weekStart) AND format = 'html' AND user_id = ANY(\(artifacts.map(\.userID))::text[])
            """
        )
        return try connection.copyInBinary(
            """
            COPY report_artifacts (user_id, week_start, format, content, sha256, size_bytes, url, run_id, generated_at)
            FROM STDIN (FORMAT binary)
            """, columnCount: 9
        ) { writer in
            for artifact in artifacts {
                guard let size = Int32(exactly: artifact.size) else {
                    throw StageError("the report of \(artifact.userID) is too large to store (\(artifact.size) bytes)")
                }
                try writer.appendRow { row in
                    row.append(artifact.userID)
                    row.append(artifact.weekStart)
                    row.append("html")
                    row.appendBytea(artifact.gzipped)
                    row.append(artifact.sha256)
                    row.append(size)
                    row.append(artifact.url)
                    row.append(runID)
                    row.append(generatedAt)
                }
            }
        }
    }

    /// Uploads every artifact (`reports/{user_id}/{week_start}.html`, text/html, gzip); the first failure fails the
    /// run. Objects already uploaded stay in the bucket and are overwritten by the next run.
    func uploadAll(_ artifacts: [ReportArtifact], storage: ObjectStorageClient) throws -> [ReportArtifact] {
        try ParallelWork.map(count: artifacts.count, threads: Self.uploadThreads) { index in
            var artifact = artifacts[index]
            do {
                artifact.url = try storage.putObject(
                    key: artifact.objectKey, body: artifact.gzipped, contentType: "text/html; charset=utf-8",
                    contentEncoding: "gzip")
            } catch {
                throw StageError("uploading the report of \(artifact.userID) failed: \(error)")
            }
            return artifact
        }
    }
}
