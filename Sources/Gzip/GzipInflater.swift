import CZlib

/// Inflates gzip data a step at a time into one contiguous buffer, so that a reader can work on the first megabytes
/// while the rest is still compressed: the ingest route streams a gzip body into COPY this way, and the database
/// inserts the first rows instead of waiting for the whole body to inflate (about 60 ms per 18 MB body here).
///
/// The same rules as `Gzip.decompress`: one or more concatenated members, never more than `limit` bytes out, the
/// buffer first sized by the trailer's ISIZE and doubled when that understates. Growing moves the buffer, so
/// `inflated` is valid only until the next `inflate(atLeast:)` or `finish()`; offsets into it stay valid.
///
/// Not thread-safe: one reader owns it.
public final class GzipInflater {
    private let input: [UInt8]
    private let limit: Int
    private var stream = z_stream()
    private var streamOpen = false
    private var consumed = 0
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes of `buffer` hold inflated data.
    public private(set) var count = 0
    /// The last member ended with the input: `inflated` is the whole data.
    public private(set) var isFinished = false
    /// Why inflating stopped, thrown again by every later call.
    private var failure: GzipError?
    /// The whole data once `finish()` has copied it out (and freed the buffer).
    private var whole: [UInt8]?

    /// Starts inflating `input`; nothing is inflated until `inflate(atLeast:)`. Throws `.zlib` when zlib cannot
    /// start, `.corrupt` for empty input and `.tooLarge` for a negative `limit`.
    public init(_ input: [UInt8], limit: Int) throws(GzipError) {
        guard limit >= 0 else { throw .tooLarge(limit: limit) }
        guard !input.isEmpty else { throw .corrupt("empty body") }
        self.input = input
        self.limit = limit
        let capacity = input.withUnsafeBytes { min(Gzip.outputCeiling(limit), Gzip.statedSize($0)) }
        buffer = .allocate(capacity: max(capacity, 1))
        let initialised = czlib_inflateInit2(&stream, Gzip.gzipWindowBits)
        // Every stored property is set, so a throw here still runs `deinit`, which frees the buffer.
        guard initialised == Z_OK else { throw .zlib("inflateInit2 returned \(initialised)") }
        streamOpen = true
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        buffer.deallocate()
    }

    /// The bytes inflated so far; valid until the next call that inflates.
    public var inflated: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[..<count]) }

    /// Inflates until at least `step` more bytes are out or the data ends. Throws `.corrupt` for invalid or truncated
    /// data, `.tooLarge` past the limit; after a throw every call throws the same error.
    public func inflate(atLeast step: Int) throws(GzipError) {
        if let failure { throw failure }
        do {
            try inflateSteps(atLeast: step)
        } catch {
            failure = error
            throw error
        }
    }

    private func inflateSteps(atLeast step: Int) throws(GzipError) {
        let goal = step >= Int.max - count ? Int.max : count + max(step, 1)
        while !isFinished && count < goal {
            if count == buffer.count { try grow() }
            let end = min(buffer.count, goal)
            var written = count
            let outcome = input.withUnsafeBytes { source -> Gzip.InflateStep in
                stream.next_in = UnsafeMutablePointer(
                    mutating: source.bindMemory(to: Bytef.self).baseAddress! + consumed)
                stream.avail_in = uInt(source.count - consumed)
                let window = UnsafeMutableBufferPointer(rebasing: buffer[..<end])
                let step = Gzip.inflate(&stream, into: window, written: &written, limit: limit)
                consumed = source.count - Int(stream.avail_in)
                return step
            }
            count = written
            switch outcome {
            case .finished: isFinished = true
            case .full: continue
            case .failed(let error): throw error
            }
        }
    }

    /// Inflates the rest and returns the whole data as an array. The buffer is copied once and freed, so that a
    /// body is not held twice: later calls return the same array, and `inflated` is empty from then on.
    public func finish() throws(GzipError) -> [UInt8] {
        if let whole { return whole }
        while !isFinished { try inflate(atLeast: max(buffer.count - count, 1 << 20)) }
        if let failure { throw failure }
        let data = Array(inflated)
        whole = data
        buffer.deallocate()
        buffer = .allocate(capacity: 1)
        count = 0
        return data
    }

    /// Doubles the buffer (at most one byte past `limit`, which detects the overflow), keeping what it holds.
    private func grow() throws(GzipError) {
        let ceiling = Gzip.outputCeiling(limit)
        guard buffer.count < ceiling else { throw .tooLarge(limit: limit) }
        let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: min(ceiling, buffer.count * 2))
        _ = larger.initialize(fromContentsOf: buffer[..<count])
        buffer.deallocate()
        buffer = larger
    }
}
