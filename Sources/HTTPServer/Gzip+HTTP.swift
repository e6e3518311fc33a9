import Gzip

extension Gzip {
    /// Inflates a `Content-Encoding: gzip` request body, failing as `HTTPError(inflating:)` says.
    static func decompressBody(_ body: [UInt8], limit: Int) throws(HTTPError) -> [UInt8] {
        do {
            return try decompress(body, limit: limit)
        } catch {
            throw HTTPError(inflating: error)
        }
    }
}

extension HTTPError {
    /// The answer to a gzip request body that would not inflate: too large is 413, anything unreadable is 400, and
    /// zlib's own failure (out of memory) an opaque 500.
    public init(inflating error: GzipError) {
        switch error {
        case .tooLarge(let limit):
            self.init(
                .contentTooLarge, code: .bodyTooLarge, message: "the inflated request body exceeds \(limit) bytes")
        case .corrupt(let reason):
            self.init(.badRequest, code: .badContentEncoding, message: "the gzip request body is invalid: \(reason)")
        case .zlib:
            self.init(
                .internalServerError, code: .internalError,
                message: "internal error; quote the request id when reporting it")
        }
    }
}
