import Gzip
import HTTPServer
import JSON
import Storage

/// `POST /v1/attempts` and `POST /v1/items`: JSON arrays or NDJSON, optionally gzip; the whole body is validated
/// before anything is written.
enum IngestRoutes {
    static let maximumRecords = 200_000
    static let maximumBytes = 64 * 1024 * 1024

    static func register(on router: inout Router, context: ServiceContext) {
        let admin = context.authenticator.check(.admin)
        // A gzip body reaches the handler compressed and is inflated while it streams into COPY.
        router.post(
            "/v1/attempts", bodyLimit: maximumBytes, inflatedBodyLimit: maximumBytes, longRunning: true,
            headCheck: admin, keepsGzipBody: true
        ) {
            request in
            let format = try format(of: request)
            // Parsed while it is written (`AttemptStore.ingest`): an invalid body writes nothing and is answered 4xx.
            let result: IngestResult
            do {
                result = try withDatabase {
                    if let inflatedLimit = request.gzipBodyLimit {
                        return try AttemptStore.ingest(
                            gzip: request.body, inflatedLimit: inflatedLimit, format: format,
                            maximumRecords: maximumRecords, into: context.pool)
                    }
                    return try AttemptStore.ingest(
                        request.body, format: format, maximumRecords: maximumRecords, into: context.pool)
                }
            } catch let error as IngestError {
                context.telemetry.metrics.ingest.rejectedBatch()
                throw httpError(error)
            } catch let error as GzipError {
                throw HTTPError(inflating: error)
            }
            context.telemetry.metrics.ingest.stored(
                received: result.received, inserted: result.inserted, duplicate: result.duplicates)
            return .json([
                "received": .int(Int64(result.received)), "inserted": .int(Int64(result.inserted)),
                "duplicates": .int(Int64(result.duplicates)),
            ])
        }
        router.post(
            "/v1/items", bodyLimit: maximumBytes, inflatedBodyLimit: maximumBytes, longRunning: true, headCheck: admin
        ) {
            request in
            let format = try format(of: request)
            let records: [ItemRecord]
            do throws(IngestError) {
                records = try ItemRecord.parse(request.body, format: format, maximumRecords: maximumRecords)
            } catch {
                throw httpError(error)
            }
            let result = try withDatabase { try ItemStore.upsert(records, into: context.pool) }
            return .json([
                "received": .int(Int64(result.received)), "inserted": .int(Int64(result.inserted)),
                "updated": .int(Int64(result.updated)),
            ])
        }
    }

    static func format(of request: HTTPRequest) throws(HTTPError) -> IngestFormat {
        switch request.contentType {
        case "application/json": return .jsonArray
        case "application/x-ndjson", "application/jsonl": return .ndjson
        default:
            throw HTTPError(
                .unsupportedMediaType, code: .unsupportedMediaType,
                message: "Content-Type must be application/json (an array) or application/x-ndjson, got "
                    + (request.contentType ?? "none"))
        }
    }

    static func httpError(_ error: IngestError) -> HTTPError {
        switch error {
        case .invalid(let message): return .badRequest(message, code: .invalidRecord)
        case .tooManyRecords: return HTTPError(.contentTooLarge, code: .tooManyRecords, message: error.description)
        }
    }
}
