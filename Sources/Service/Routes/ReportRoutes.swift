import Gzip
import HTTPServer
import JSON
import Pipelines
import Postgres
import UTCTime

/// A learner's weekly reports: the list of weeks, and one report's HTML — the stored gzip bytes as they are when the
/// client accepts gzip, inflated otherwise — with an ETag from the HTML's SHA-256 and 304 on If-None-Match.
enum ReportRoutes {
    static func register(on router: inout Router, context: ServiceContext) {
        let read = context.authenticator.check(.read)
        router.get("/v1/users/{user_id}/reports", headCheck: read) { request in
            let user = try PathReader(request).identifier("user_id")
            let limit = try QueryReader(request).int("limit", default: 52, range: 1...520)
            let reports = try withDatabase {
                try context.pool.withConnection { connection in
                    try ReportReads.reports(of: user, limit: limit, connection).map { row in
                        listingJSON(row, user: user)
                    }
                }
            }
            if reports.isEmpty, try !withDatabase({ try LearnerLookup.exists(user, pool: context.pool) }) {
                throw LearnerLookup.unknown(user)
            }
            return .json(.object(JSONObject([("user_id", .string(user)), ("reports", .array(reports))])))
        }
        router.get("/v1/users/{user_id}/reports/{week_start}", headCheck: read) { request in
            try report(request, context: context)
        }
    }

    static func listingJSON(_ row: ReportListingRow, user: String) -> JSONValue {
        .object(
            JSONObject([
                ("week_start", .string(row.weekStart.iso)), ("format", .string(row.format)),
                ("url", .optional(row.url)), ("sha256", .string(row.sha256)), ("size_bytes", .int(row.sizeBytes)),
                ("gzip_bytes", .int(row.gzipBytes)), ("generated_at", .string(row.generatedAt.rfc3339)),
                ("run_id", row.runID.map { .int($0) } ?? .null),
                ("href", .string("/v1/users/\(percentEncoded(user))/reports/\(row.weekStart.iso)")),
            ]))
    }

    static func report(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let user = try PathReader(request).identifier("user_id")
        let week = try PathReader(request).weekStart("week_start")
        let stored = try withDatabase {
            try context.pool.withConnection { connection in try ReportReads.html(of: user, week: week, connection) }
        }
        guard let stored else { throw HTTPError.notFound("no report for learner '\(user)' and week \(week.iso)") }
        let gzip = ContentNegotiation.acceptsGzip(request.headers)
        let tag = "\"\(stored.sha256)\(gzip ? "-gz" : "")\""
        var headers = HTTPHeaders([
            ("ETag", tag), ("Cache-Control", "private, max-age=300"), ("Vary", "Accept-Encoding"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
        ])
        if matches(request.headers["if-none-match"], sha: stored.sha256) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.add("Content-Type", "text/html; charset=utf-8")
        if gzip {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: stored.gzipContent)
        }
        return HTTPResponse(
            status: .ok, headers: headers, body: try Gzip.decompress(stored.gzipContent, limit: 16 << 20))
    }

    /// Whether If-None-Match names this report (either representation's tag, weak or strong, or `*`).
    static func matches(_ header: String?, sha: String) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { candidate in
            var tag = candidate.filter { $0 != " " && $0 != "\t" }
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == "\"\(sha)\"" || tag == "\"\(sha)-gz\""
        }
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80
                && (scalar.properties.isAlphabetic || (0x30...0x39).contains(byte) || "-._~".utf8.contains(byte))
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
