import Gzip
import HTTPServer
import JSON
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
                    try connection.query(
                        """
                        SELECT week_start, format, url, sha256, size_bytes, octet_length(content), generated_at, run_id
                        FROM report_artifacts WHERE user_id = $1 ORDER BY week_start DESC, format LIMIT $2
                        """, [user, limit]
                    ).rows.map { row in try listingJSON(row, user: user) }
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

    static func listingJSON(_ row: PostgresRow, user: String) throws -> JSONValue {
        let week: Day = try row.decode(0)
        return .object(
            JSONObject([
                ("week_start", .string(week.iso)), ("format", .string(try row.decode(1))),
                ("url", .optional(try row.decode(2))), ("sha256", .string(try row.decode(3))),
                ("size_bytes", .int(try row.decode(4))), ("gzip_bytes", .int(try row.decode(5))),
                ("generated_at", .string(try row.decode(6, as: Timestamp.self).rfc3339)),
                ("run_id", (try row.decode(7, as: Int64?.self)).map { .int($0) } ?? .null),
                ("href", .string("/v1/users/\(percentEncoded(user))/reports/\(week.iso)")),
            ]))
    }

    static func report(_ request: HTTPRequest, context: ServiceContext) throws -> HTTPResponse {
        let user = try PathReader(request).identifier("user_id")
        let week = try PathReader(request).day("week_start")
        let stored = try withDatabase {
            try context.pool.withConnection { connection -> (content: [UInt8], sha: String)? in
                let result = try connection.query(
                    """
                    SELECT content, sha256 FROM report_artifacts
                    WHERE user_id = $1 AND week_start = $2 AND format = 'html'
                    """, [user, week])
                guard result.rowCount > 0 else { return nil }
                return (try result[0].decode(0, as: ByteArray.self).bytes, try result[0].decode(1))
            }
        }
        guard let stored else { throw HTTPError.notFound("no report for learner '\(user)' and week \(week.iso)") }
        let gzip = ContentNegotiation.acceptsGzip(request.headers)
        let tag = "\"\(stored.sha)\(gzip ? "-gz" : "")\""
        var headers = HTTPHeaders([
            ("ETag", tag), ("Cache-Control", "private, max-age=300"), ("Vary", "Accept-Encoding"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
        ])
        if matches(request.headers["if-none-match"], sha: stored.sha) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.add("Content-Type", "text/html; charset=utf-8")
        if gzip {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: stored.content)
        }
        return HTTPResponse(status: .ok, headers: headers, body: try Gzip.decompress(stored.content, limit: 16 << 20))
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
