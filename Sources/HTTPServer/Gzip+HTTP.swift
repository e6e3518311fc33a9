import Gzip

extension Gzip {
    /// Inflates a `Content-Encoding: gzip` request body: too large is 413, anything unreadable is 400, and zlib's own
    /// failure (out of memory) an opaque 500.
    static func decompressBody(_ body: [UInt8], limit: Int) throws(HTTPError) -> [UInt8] {
        do {
            return try decompress(body, limit: limit)
        } catch {
            switch error {
            case .tooLarge(let limit):
                throw HTTPError(
                    .contentTooLarge, code: .bodyTooLarge,
                    message: "the inflated request body exceeds \(limit) bytes")
            case .corrupt(let reason):
                throw HTTPError(
                    .badRequest, code: .badContentEncoding, message: "the gzip request body is invalid: \(reason)")
            case .zlib:
                throw HTTPError(
                    .internalServerError, code: .internalError,
                    message: "internal error; quote the request id when reporting it")
            }
        }
    }
}
