import CZlib

/// Why gzip data could not be inflated.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inflated data would exceed the caller's limit (a gzip bomb, or simply too much).
    case tooLarge(limit: Int)
    /// The data is not valid gzip.
    case corrupt(String)
    /// zlib itself failed (out of memory, or a state it should never reach): not the data's fault.
    case zlib(String)

    public var description: String {
        switch self {
        case .tooLarge(let limit): return "inflated data exceeds \(limit) bytes"
        case .corrupt(let reason): return "invalid gzip data: \(reason)"
        case .zlib(let reason): return "zlib failed: \(reason)"
        }
    }
}

/// gzip (RFC 1952) compression through zlib, whole buffers at a time.
public enum Gzip {
    /// zlib's window bits plus 16 select the gzip wrapper instead of the zlib one.
    static let gzipWindowBits: Int32 = 15 + 16

    /// Compresses `input` into one gzip member.
    ///
    /// Throws `.zlib` when zlib cannot start (out of memory, or a `level` outside -1...9) or does not finish into a
    /// `deflateBound` buffer (which zlib promises never happens); never `.tooLarge` or `.corrupt`.
    public static func compress(_ input: [UInt8], level: Int32 = 6) throws(GzipError) -> [UInt8] {
        let result: Result<[UInt8], GzipError> = input.withUnsafeBytes { source in
            var stream = z_stream()
            let initialised = czlib_deflateInit2(&stream, level, gzipWindowBits)
            guard initialised == Z_OK else { return .failure(.zlib("deflateInit2 returned \(initialised)")) }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, uLong(source.count)))
            var output = [UInt8](repeating: 0, count: bound)
            let status = output.withUnsafeMutableBytes { target -> Int32 in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
            guard status == Z_STREAM_END else { return .failure(.zlib("deflate returned \(status)")) }
            output.removeSubrange(Int(stream.total_out)...)
            return .success(output)
        }
        return try result.get()
    }

    /// Inflates gzip data (one or more concatenated members), refusing to produce more than `limit` bytes.
    ///
    /// zlib writes straight into the result. Its first size is the one the gzip trailer states (ISIZE, the size of the
    /// last member modulo 2³²), so that an ordinary body is inflated into exactly one allocation, never zero-filled
    /// first; a trailer that understates the size (several members, or a lie) makes the result grow by doubling, one
    /// byte past `limit` detecting the overflow.
    /// A negative `limit` is exceeded by any output, so it throws `.tooLarge`.
    public static func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        guard limit >= 0 else { throw .tooLarge(limit: limit) }
        let result: Result<[UInt8], GzipError> = input.withUnsafeBytes { source in
            guard source.count > 0 else { return .failure(.corrupt("empty body")) }
            var stream = z_stream()
            let initialised = czlib_inflateInit2(&stream, gzipWindowBits)
            guard initialised == Z_OK else { return .failure(.zlib("inflateInit2 returned \(initialised)")) }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            let ceiling = outputCeiling(limit)
            var capacity = min(ceiling, statedSize(source))
            var output: [UInt8] = []
            while true {
                let previous = output
                var step = InflateStep.full
                output = [UInt8](unsafeUninitializedCapacity: capacity) { target, written in
                    previous.withUnsafeBufferPointer { _ = target.initialize(fromContentsOf: $0) }
                    written = previous.count
                    step = inflate(&stream, into: target, written: &written, limit: limit)
                }
                switch step {
                case .finished:
                    // A stated size far above the real one, or doubling, leaves capacity unused: copy out rather than
                    // keep it (`Array(output)` would share the same storage).
                    if output.capacity - output.count > output.count / 4 {
                        return .success(output.withUnsafeBufferPointer { Array($0) })
                    }
                    return .success(output)
                case .full:
                    guard capacity < ceiling else { return .failure(.tooLarge(limit: limit)) }
                    capacity = min(ceiling, capacity * 2)
                case .failed(let error):
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    /// The largest output buffer inflating under `limit` needs: one byte past it, so that an overflow is seen.
    static func outputCeiling(_ limit: Int) -> Int { limit == .max ? limit : limit + 1 }

    /// The size to inflate into first: the trailer's ISIZE plus a byte (so that the end of the stream is seen without
    /// growing), at least 64 KiB and at most what deflate can expand `source` to (about 1,032 to 1).
    static func statedSize(_ source: UnsafeRawBufferPointer) -> Int {
        var stated = 0
        if source.count >= 18 {
            for offset in 1...4 { stated = stated << 8 | Int(source[source.count - offset]) }
        }
        return min(max(stated + 1, 64 * 1024), source.count * 1032 + 64 * 1024)
    }

    enum InflateStep {
        /// The last member ended with the input.
        case finished
        /// The output is full and more is to come.
        case full
        case failed(GzipError)
    }

    /// Inflates into `target` from `written` on, until the input ends or `target` is full.
    static func inflate(
        _ stream: inout z_stream, into target: UnsafeMutableBufferPointer<UInt8>, written: inout Int, limit: Int
    ) -> InflateStep {
        while written < target.count {
            let space = min(target.count - written, Int(UInt32.max))
            // The force unwrap cannot fail: the loop runs only while `target` has room, and a non-empty buffer has a
            // base address.
            stream.next_out = target.baseAddress! + written
            stream.avail_out = uInt(space)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = space - Int(stream.avail_out)
            written += produced
            if written > limit { return .failed(.tooLarge(limit: limit)) }
            switch status {
            case Z_OK:
                if produced == 0 && stream.avail_in == 0 { return .failed(.corrupt("truncated data")) }
            case Z_STREAM_END:
                guard stream.avail_in > 0 else { return .finished }
                // Another gzip member follows (concatenation is valid gzip).
                guard inflateReset(&stream) == Z_OK else { return .failed(.corrupt("cannot continue")) }
            case Z_BUF_ERROR:
                // No progress was possible: the output is full (grown by the caller) or the input ran out.
                if written < target.count { return .failed(.corrupt("truncated data")) }
            default:
                return .failed(.corrupt(stream.msg.map { String(cString: $0) } ?? "status \(status)"))
            }
        }
        return .full
    }
}
