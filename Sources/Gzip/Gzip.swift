import CZlib

/// Why gzip data could not be inflated.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inflated data would exceed the caller's limit (a gzip bomb, or simply too much).
    case tooLarge(limit: Int)
    /// The data is not valid gzip.
    case corrupt(String)

    public var description: String {
        switch self {
        case .tooLarge(let limit): return "inflated data exceeds \(limit) bytes"
        case .corrupt(let reason): return "invalid gzip data: \(reason)"
        }
    }
}

/// gzip (RFC 1952) compression through zlib, whole buffers at a time.
public enum Gzip {
    /// zlib's window bits plus 16 select the gzip wrapper instead of the zlib one.
    static let gzipWindowBits: Int32 = 15 + 16

    /// Compresses `input` into one gzip member.
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        input.withUnsafeBytes { source in
            var stream = z_stream()
            guard czlib_deflateInit2(&stream, level, gzipWindowBits) == Z_OK else {
                fatalError("deflateInit2 failed: zlib is out of memory")
            }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, uLong(source.count)))
            var output = [UInt8](repeating: 0, count: bound)
            let written = output.withUnsafeMutableBytes { target -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate into a deflateBound buffer must finish")
                return Int(stream.total_out)
            }
            output.removeSubrange(written...)
            return output
        }
    }

    /// Inflates gzip data (one or more concatenated members), refusing to produce more than `limit` bytes.
    /// zlib writes straight into the result, which grows by doubling (one byte past `limit` detects the overflow).
    public static func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        precondition(limit >= 0, "an inflated-size limit cannot be negative")
        let result: Result<[UInt8], GzipError> = input.withUnsafeBytes { source in
            guard source.count > 0 else { return .failure(.corrupt("empty body")) }
            var stream = z_stream()
            guard czlib_inflateInit2(&stream, gzipWindowBits) == Z_OK else { return .failure(.corrupt("init failed")) }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            let ceiling = limit == .max ? limit : limit + 1
            var output = [UInt8](repeating: 0, count: min(ceiling, max(64 * 1024, source.count * 4)))
            var written = 0
            while true {
                if written == output.count {
                    guard output.count < ceiling else { return .failure(.tooLarge(limit: limit)) }
                    output.append(contentsOf: repeatElement(0, count: min(output.count, ceiling - output.count)))
                }
                let (status, produced) = output.withUnsafeMutableBytes { target -> (Int32, Int) in
                    let space = min(target.count - written, Int(UInt32.max))
                    stream.next_out = target.bindMemory(to: Bytef.self).baseAddress! + written
                    stream.avail_out = uInt(space)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, space - Int(stream.avail_out))
                }
                written += produced
                if written > limit { return .failure(.tooLarge(limit: limit)) }
                switch status {
                case Z_OK:
                    if produced == 0 && stream.avail_in == 0 { return .failure(.corrupt("truncated data")) }
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else {
                        // Doubling may have left up to half the array unused: copy out rather than keep it.
                        if output.count - written > written / 4 { return .success(Array(output[..<written])) }
                        output.removeSubrange(written...)
                        return .success(output)
                    }
                    // Another gzip member follows (concatenation is valid gzip).
                    guard inflateReset(&stream) == Z_OK else { return .failure(.corrupt("cannot continue")) }
                case Z_BUF_ERROR:
                    // No progress was possible: the output is full (grown on the next turn) or the input ran out.
                    if written < output.count { return .failure(.corrupt("truncated data")) }
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    return .failure(.corrupt(reason))
                }
            }
        }
        return try result.get()
    }
}
